import type { ComponentProps } from "react";
import { AutoSubmitSelect } from "./auto-submit-select";

type ClientChoice = { id: string; name: string };

/** Agency staff's choice of client (or all of them) in a GET form, applied as soon as it is chosen. */
export function ClientSelect({ clients, ...props }: { clients: ClientChoice[] } & Omit<ComponentProps<typeof AutoSubmitSelect>, "name" | "children">) {
  return (
    <AutoSubmitSelect name="client" {...props}>
      <option value="">All clients</option>
      {clients.map((client) => (
        <option key={client.id} value={client.id}>
          {client.name}
        </option>
      ))}
    </AutoSubmitSelect>
  );
}
