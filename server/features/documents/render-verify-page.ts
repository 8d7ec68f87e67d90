/**
 * The public verification page (Vietnamese, no script, no external resources). Every value comes
 * from the database or the URL and is HTML-escaped; the page is sent with a CSP that allows nothing
 * but its own inline style and a form posting back to itself.
 */
import { formatDocumentDate, padNumber } from "../../domain/document-number.ts";
import type { Verification } from "./find-verification.ts";
import { vietnamTime } from "../../domain/vietnam-time.ts";

export type VerifyPageInput = { kind: "found"; verification: Verification; check?: { matches: boolean; sha256: string } } | { kind: "not_found"; code: string };

export const VERIFY_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** "14:05 ngày 23 tháng 11 năm 2026" in Vietnam time. */
function vnDateTime(iso: string): string {
  const d = new Date(iso);
  const t = vietnamTime(d);
  return `${padNumber(t.hour)}:${padNumber(t.minute)} ${formatDocumentDate(d)}`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:"Times New Roman","Liberation Serif",serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.5}
h1{font-size:1.4rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:bold}
dd{margin:0;overflow-wrap:anywhere}.ok{color:#065f16}.bad{color:#9b1c1c}code{font-size:.9em}
.box{border:1px solid #bbb;padding:.8rem 1rem;margin:1rem 0}
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function foundBody(v: Verification, check?: { matches: boolean; sha256: string }): string {
  const rows: [string, string][] = [
    ["Số, ký hiệu", v.symbol],
    ["Ngày ban hành", vnDateTime(v.issued_at)],
    ["Cơ quan ban hành", v.governing_body ? `${v.issuer} (${v.governing_body})` : v.issuer],
    ["Loại văn bản", v.type_name],
    ["Trích yếu", v.subject],
    ["Mã xác thực", v.code],
    ["SHA-256 của tệp PDF", v.pdf_sha256 ?? "(đang chờ ký số)"],
  ];
  const status =
    v.status === "withdrawn"
      ? `<p class="bad"><strong>Văn bản này đã bị thu hồi</strong>${v.withdrawn_at ? ` lúc ${escapeHtml(vnDateTime(v.withdrawn_at))}` : ""}${v.withdrawn_reason ? `. Lý do: ${escapeHtml(v.withdrawn_reason)}` : ""}.</p>`
      : `<p class="ok"><strong>Văn bản có trong sổ đăng ký văn bản đi của cơ quan ban hành.</strong></p>${
          v.signature_pending ? `<p class="bad">Văn bản đang chờ ký số: tệp PDF chính thức chưa có, chưa đối chiếu được.</p>` : ""
        }`;
  const result = check
    ? check.matches
      ? `<div class="box ok"><strong>Tệp PDF bạn gửi TRÙNG KHỚP với văn bản đã ban hành.</strong></div>`
      : `<div class="box bad"><strong>Tệp PDF bạn gửi KHÔNG trùng khớp với văn bản đã ban hành</strong> (SHA-256 của tệp: <code>${escapeHtml(check.sha256)}</code>). Tệp có thể đã bị sửa đổi hoặc không phải bản điện tử gốc.</div>`
    : "";
  return `<h1>Xác thực văn bản</h1>
${status}
${result}
<dl>
${rows.map(([k, val]) => `<dt>${escapeHtml(k)}</dt><dd>${k.startsWith("SHA") || k === "Mã xác thực" ? `<code>${escapeHtml(val)}</code>` : escapeHtml(val)}</dd>`).join("\n")}
</dl>
<form method="post" enctype="multipart/form-data" class="box">
<p>Đối chiếu một tệp PDF với văn bản này (tệp không được lưu lại):</p>
<input type="file" name="file" accept="application/pdf,.pdf" required>
<button type="submit">Đối chiếu</button>
</form>`;
}

/** The page for a verification code: the document's particulars, or that no document has the code. */
export function renderVerifyPage(input: VerifyPageInput): string {
  if (input.kind === "not_found") {
    return page(
      "Không tìm thấy văn bản",
      `<h1>Không tìm thấy văn bản</h1>
<p class="bad">Không có văn bản nào đã ban hành mang mã xác thực <code>${escapeHtml(input.code)}</code>.</p>
<p>Hãy kiểm tra lại mã in ở chân trang cuối của văn bản (10 ký tự).</p>`,
    );
  }
  return page(`Xác thực văn bản ${input.verification.symbol}`, foundBody(input.verification, input.check));
}
