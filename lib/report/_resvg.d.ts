// Minimal types for @resvg/resvg-js, used through `// @ts-types` in figure.ts. The package's own
// index.d.ts starts with `/// <reference types="node" />`, which pulls @types/node into every
// program that imports it and changes the `node:*` typings other modules are checked against.

export interface ResvgRenderOptions {
  font?: {
    loadSystemFonts?: boolean;
    fontFiles?: string[];
    fontDirs?: string[];
    defaultFontSize?: number;
    defaultFontFamily?: string;
    serifFamily?: string;
    sansSerifFamily?: string;
    cursiveFamily?: string;
    fantasyFamily?: string;
    monospaceFamily?: string;
  };
  dpi?: number;
  background?: string;
  fitTo?:
    | { mode: "original" }
    | { mode: "width"; value: number }
    | { mode: "height"; value: number }
    | { mode: "zoom"; value: number };
  logLevel?: "off" | "error" | "warn" | "info" | "debug" | "trace";
}

export class RenderedImage {
  asPng(): Uint8Array;
  readonly width: number;
  readonly height: number;
}

export class Resvg {
  constructor(svg: Uint8Array | string, options?: ResvgRenderOptions | null);
  render(): RenderedImage;
  readonly width: number;
  readonly height: number;
}
