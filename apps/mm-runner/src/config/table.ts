import { flagsOf, SETTINGS } from "./settings.ts";

/** The configuration table of the README, from the settings themselves. */
export function configTableMarkdown(): string {
  const rows = SETTINGS.map((setting) => {
    const names = [setting.env, ...(setting.aliases ?? [])];
    const env = names.map((name) => `\`${name}\``).join(" / ");
    const flags = flagsOf(setting)
      .map((flag) => `\`${flag}\``)
      .join(" / ");
    const fallback = setting.default === undefined ? "—" : `\`${setting.default}\``;
    const scope =
      setting.scope === "symbol" && !/per symbol/i.test(setting.help) ? " Per symbol." : "";
    return `| ${env} | ${flags} | \`${setting.key}\` | ${fallback} | ${setting.help.replaceAll("|", "\\|")}${scope} |`;
  });
  return [
    "| Environment | Flag | Config file key | Default | Meaning |",
    "|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}
