"use client";

import type { ComponentProps } from "react";

/**
 * A native select that submits its form as soon as a choice is made. Without JavaScript it is a
 * plain select and the form's own button submits it.
 */
export function AutoSubmitSelect(props: Omit<ComponentProps<"select">, "onChange">) {
  return <select {...props} onChange={(event) => event.currentTarget.form?.requestSubmit()} />;
}
