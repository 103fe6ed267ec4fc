import type { MetadataRoute } from "next";
import { BACKGROUND_COLOR, THEME_COLOR } from "@/components/pwa/app-colors";

export default function manifest(): MetadataRoute.Manifest {
  return {
    id: "/inbox",
    name: "Leadline",
    short_name: "Leadline",
    description: "Your calls, texts and leads in one inbox: hear the voicemail, text back and move the lead along.",
    start_url: "/inbox",
    scope: "/",
    display: "standalone",
    background_color: BACKGROUND_COLOR,
    theme_color: THEME_COLOR,
    categories: ["business", "productivity"],
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
