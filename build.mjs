// Bundle every entry in assets/js/ into app/static/dist/, served by the app itself (no CDN).
// File names carry a hash of their content ("coedit-AB12CD34.js") so they can be cached for a
// year; dist/manifest.json maps each entry's plain name to its hashed file, and the app resolves
// `dist/coedit.js` through it. Each output also gets .gz and .br siblings for nginx to serve as
// they are. Source maps only with `--dev` (never referenced from a production bundle).
import { build } from "esbuild";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, extname } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const OUT = "app/static/dist";
const dev = process.argv.includes("--dev");

const entryPoints = readdirSync("assets/js")
  .filter((name) => name.endsWith(".js"))
  .map((name) => `assets/js/${name}`);

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  entryPoints,
  outdir: OUT,
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  bundle: true,
  minify: true,
  sourcemap: dev ? "linked" : false,
  legalComments: "linked",
  metafile: true,
  format: "esm",
  target: ["es2020"],
  define: { "process.env.NODE_ENV": JSON.stringify(dev ? "development" : "production") },
  logLevel: "warning",
});

// "coedit.js" -> "coedit-AB12CD34.js"; a CSS file imported by an entry is named after the entry.
const manifest = {};
for (const [output, meta] of Object.entries(result.metafile.outputs)) {
  const file = output.slice(OUT.length + 1);
  if (meta.entryPoint) manifest[basename(meta.entryPoint)] = file;
  if (meta.cssBundle) manifest[basename(meta.entryPoint).replace(/\.js$/, ".css")] = meta.cssBundle.slice(OUT.length + 1);
  if (![".js", ".css"].includes(extname(file))) continue;
  const data = readFileSync(output);
  writeFileSync(`${output}.gz`, gzipSync(data, { level: 9 }));
  writeFileSync(`${output}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
writeFileSync(`${OUT}/manifest.json`, JSON.stringify(manifest, null, 1) + "\n");
