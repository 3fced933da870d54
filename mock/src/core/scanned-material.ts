// The paper a window scans at acceptance, as the core system would keep it: one small PDF per
// material, so an approver opening a seeded case's material sees a real document, not a 404.
import type { CaseMaterial } from './model';

/** A one-page PDF naming the case and the material (ASCII only: the base-14 fonts have no CJK). */
export function scannedMaterialPdf(acceptNo: string, material: CaseMaterial): Buffer {
  return onePagePdf(`Scanned at acceptance: case ${acceptNo}, material ${material.code}`);
}

/** Where a material's sample form (样表) is kept: the BFF hands out signed URLs to this key. */
export function sampleFormKey(itemCode: string, materialCode: string): string {
  return `samples/${itemCode}/${materialCode}.pdf`;
}

/** The sample form of a material, as a downloadable PDF. */
export function sampleFormPdf(itemCode: string, materialCode: string): Buffer {
  return onePagePdf(`Sample form: item ${itemCode}, material ${materialCode}`);
}

/** The PDF rendering of an e-licence, as the library serves it (ASCII: see onePagePdf). */
export function licencePdf(licence: {
  licenceNo: string;
  type: string;
  validFrom: string;
  validUntil: string | null;
}): Buffer {
  return onePagePdf(
    `E-licence ${licence.licenceNo}, ${licence.type}, valid ${licence.validFrom} to ${licence.validUntil ?? 'no limit'}`,
  );
}

/** The signed commitment (告知承诺书) that stands in for a material of an online application. */
export function commitmentPdf(acceptNo: string, materialCode: string): Buffer {
  return onePagePdf(`Signed commitment: case ${acceptNo}, material ${materialCode}`);
}

function onePagePdf(line: string): Buffer {
  const text = line.replace(/[()\\]/g, '');
  const stream = `BT /F1 14 Tf 40 780 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
