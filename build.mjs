// Bundle every entry in assets/js/ into app/static/dist/, served by the app itself (no CDN).
import { build } from "esbuild";
import { readdirSync } from "node:fs";

const entryPoints = readdirSync("assets/js")
  .filter((name) => name.endsWith(".js"))
  .map((name) => `assets/js/${name}`);

await build({
  entryPoints,
  outdir: "app/static/dist",
  bundle: true,
  minify: true,
  sourcemap: true,
  format: "esm",
  target: ["es2020"],
  logLevel: "warning",
});
