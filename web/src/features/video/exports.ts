import { BOARD, type WbItem, pageSvg } from "../../../../domain/video/whiteboard";

/** Offers `blob` as a download named `filename`. */
export function download(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A whiteboard page as a PNG: its SVG (domain/video/whiteboard.ts) drawn onto a canvas at the board's size. */
export async function pagePng(items: readonly WbItem[]): Promise<Blob> {
  const svg = new Blob([pageSvg(items)], { type: "image/svg+xml" });
  const url = URL.createObjectURL(svg);
  try {
    const img = new Image();
    img.decoding = "async";
    img.src = url;
    await img.decode();
    const canvas = Object.assign(document.createElement("canvas"), { width: BOARD.width, height: BOARD.height });
    canvas.getContext("2d")!.drawImage(img, 0, 0);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("PNG encoding failed"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function downloadPagePng(items: readonly WbItem[], filename: string) {
  download(await pagePng(items), filename);
}

/** The notes as a text file (`.md` when they are Markdown). */
export function downloadNotes(text: string, format: "plain" | "markdown", name: string) {
  download(new Blob([text], { type: format === "markdown" ? "text/markdown;charset=utf-8" : "text/plain;charset=utf-8" }), `${name}.${format === "markdown" ? "md" : "txt"}`);
}
