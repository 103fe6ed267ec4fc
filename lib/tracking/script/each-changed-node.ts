// What a MutationObserver's records changed: the nodes added, and the text or element written to.

export function eachChangedNode(records: MutationRecord[], visit: (node: Node) => void): void {
  for (const record of records) record.type == "childList" ? record.addedNodes.forEach(visit) : visit(record.target);
}
