import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export type SelfSignedCertificate = { key: string; cert: string; certPath: string; remove: () => void };

/**
 * A certificate for https://127.0.0.1, made by openssl for this run, so a test can serve https and
 * a command can trust it exactly (NODE_EXTRA_CA_CERTS=certPath), as it trusts a real host's.
 */
export function selfSignedCertificate(): SelfSignedCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), "leadline-tls-"));
  const [keyPath, certPath] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", keyPath, "-out", certPath, "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
  ], { stdio: "ignore" });
  return { key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8"), certPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
