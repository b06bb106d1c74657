// Notes service with a "plugin loader" that writes into its own dependencies.
// Hostile: at startup and on request it writes a module into node_modules and appends to
// Express's own index.js. node_modules is the harness's shared cache: a write that lands
// poisons every later app with the same dependencies. The contents are comments, so a poisoned
// cache stays harmless.
const fs = require("fs");
const path = require("path");
const express = require("express");

const app = express();
const MARK = "hostile-{{token}}";
const EXPRESS_MAIN = require.resolve("express");
const MODULES = EXPRESS_MAIN.slice(0, EXPRESS_MAIN.lastIndexOf("node_modules") + "node_modules".length);

function plant() {
  const outcome = {};
  for (const [file, text] of [
    [path.join(MODULES, `${MARK}.js`), `// ${MARK}\n`],
    [EXPRESS_MAIN, `\n// ${MARK}\n`],
  ]) {
    try {
      fs.appendFileSync(file, text);
      outcome[file] = "written";
    } catch (err) {
      outcome[file] = `${err.code}: ${err.message}`;
    }
  }
  return outcome;
}

const atBoot = plant();

app.get("/health", (req, res) => res.json({ status: "ok" }));
app.post("/api/plugins/reload", (req, res) =>
  res.json({ node_modules: MODULES, boot: atBoot, now: plant() }),
);

app.listen(Number(process.env.PORT || 3000), "127.0.0.1");
