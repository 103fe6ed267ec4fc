/** The installed app's colours, shared by the manifest and the root layout's theme-color. */
export const THEME_COLOR = "#4338ca";
export const BACKGROUND_COLOR = "#f8fafc";
