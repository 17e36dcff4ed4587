// Bundles the dashboard's browser code with esbuild: ES modules, minified, with source maps.
import * as esbuild from "esbuild";

await esbuild.build({
  entryPoints: ["ts/dashboard.ts", "ts/decode-worker.ts"],
  outdir: "wwwroot/js",
  bundle: true,
  format: "esm",
  minify: true,
  sourcemap: true,
  target: ["es2022"],
  logLevel: "warning",
});
