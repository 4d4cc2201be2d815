// The camera: frames from the back camera go to a barcode detector — the browser's own
// BarcodeDetector where it has one, otherwise the barcode-detector ponyfill (ZXing-C++ compiled
// to WebAssembly, served from our own origin) — until a QR code is read.
import { useEffect, useRef, useState } from "preact/hooks";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";

interface Detector {
  detect(source: CanvasImageSource | ImageBitmapSource): Promise<{ rawValue: string }[]>;
}

let detector: Promise<Detector> | undefined;

/** A QR detector: native if the browser has one for QR codes, otherwise the ponyfill. */
export function qrDetector(): Promise<Detector> {
  detector ??= (async () => {
    const native = (globalThis as { BarcodeDetector?: { new (o: { formats: string[] }): Detector; getSupportedFormats(): Promise<string[]> } }).BarcodeDetector;
    const formats: string[] = native ? await native.getSupportedFormats().catch(() => []) : [];
    if (native && formats.includes("qr_code")) {
      return new native({ formats: ["qr_code"] });
    }
    const ponyfill = await import("barcode-detector/ponyfill");
    ponyfill.prepareZXingModule({
      overrides: { locateFile: (path: string, prefix: string) => (path.endsWith(".wasm") ? wasmUrl : prefix + path) },
    });
    return new ponyfill.BarcodeDetector({ formats: ["qr_code"] }) as Detector;
  })();
  return detector;
}

/** Loads the decoder (its code and WebAssembly) while online, so the service worker keeps it. */
export function warmDecoder(): void {
  qrDetector().catch(() => undefined);
  fetch(wasmUrl).catch(() => undefined);
}

/** Reads the QR code in an image file (a photo of a badge). */
export async function readImage(file: Blob): Promise<string | undefined> {
  const bitmap = await createImageBitmap(file);
  const found = await (await qrDetector()).detect(bitmap);
  return found[0]?.rawValue;
}

export function Scanner({ onScan, paused }: { onScan: (text: string) => void; paused: boolean }) {
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string>();
  const latest = useRef(onScan);
  latest.current = onScan;

  useEffect(() => {
    if (paused) return undefined;
    let stream: MediaStream | undefined;
    let stopped = false;
    let timer: number | undefined;
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      } catch {
        setError("The camera is not available. Allow camera access, or scan from a photo below.");
        return;
      }
      if (stopped || !video.current) return;
      video.current.srcObject = stream;
      await video.current.play().catch(() => undefined);
      const found = await qrDetector();
      const tick = async () => {
        if (stopped || !video.current) return;
        if (video.current.readyState >= 2) {
          const codes = await found.detect(video.current).catch(() => []);
          const text = codes[0]?.rawValue;
          if (text && !stopped) {
            latest.current(text);
            return;
          }
        }
        timer = window.setTimeout(tick, 150);
      };
      tick();
    })();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [paused]);

  return (
    <div class="scanner">
      {error ? <p class="scanner-error">{error}</p> : <video ref={video} class="scanner-video" muted playsInline aria-label="Camera" />}
      {!error && !paused ? <div class="scanner-frame" aria-hidden="true" /> : null}
    </div>
  );
}
