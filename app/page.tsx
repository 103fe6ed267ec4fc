import { redirect } from "next/navigation";
import { getViewer } from "@/lib/auth/get-viewer";

export default async function HomePage(): Promise<never> {
  redirect((await getViewer()) ? "/inbox" : "/login");
}
