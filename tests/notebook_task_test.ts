/**
 * `deno task notebook --check` end to end, in a sandbox: `XDG_DATA_HOME` and `JUPYTER_CONFIG_DIR`
 * are temporary folders, so the user's kernels, signatures and the shared Deno copy are not
 * touched. Checks the kernelspec it registers (Deno at a stable path, through the wrapper copied
 * next to kernel.json, interrupts by message), that the server came up and printed its URL, ran
 * `1 + 1` in a kernel over the websocket, and served every notebook trusted.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT } from "../scripts/_jupyter.ts";
import { isEphemeral } from "../scripts/notebook.ts";

Deno.test("isEphemeral: the npx cache and node_modules are not stable places", () => {
  assert.equal(isEphemeral("/root/.npm/_npx/7a40be/node_modules/deno/deno"), true);
  assert.equal(isEphemeral("/home/u/project/node_modules/.bin/deno"), true);
  assert.equal(isEphemeral("/usr/local/bin/deno"), false);
  assert.equal(isEphemeral("/home/u/.local/share/lobgame/deno-2.9.6/deno"), false);
});

Deno.test({
  name: "deno task notebook --check: kernel registered, notebooks trusted, server answers",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const tmp = Deno.makeTempDirSync({ prefix: "nb-task-" });
    try {
      const env: Record<string, string> = {
        XDG_DATA_HOME: join(tmp, "data"),
        JUPYTER_CONFIG_DIR: join(tmp, "config"),
        JUPYTER_RUNTIME_DIR: join(tmp, "runtime"),
      };
      const keep = ["PATH", "HOME", "DENO_DIR", "JUPYTER", "LANG", "TMPDIR"];
      for (const k of keep) {
        const v = Deno.env.get(k);
        if (v !== undefined) env[k] = v;
      }
      const tasks = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json"))).tasks;
      const args = (tasks.notebook as string).split(" ").slice(1); // after "deno"
      const out = await new Deno.Command(Deno.execPath(), {
        args: [...args, "--check"],
        cwd: ROOT,
        env,
        clearEnv: true,
        stdin: "null",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, text.slice(-3000));
      assert.match(text, /check: ok/);
      assert.match(text, /http:\/\/127\.0\.0\.1:\d+\/tree\?token=[0-9a-f]+/);
      const dir = join(tmp, "data", "jupyter", "kernels", "deno");
      const spec = JSON.parse(Deno.readTextFileSync(join(dir, "kernel.json")));
      assert.equal(spec.argv[1], join(dir, "deno_kernel.py"));
      assert.equal(spec.argv[2], "{connection_file}");
      const deno = spec.argv[4];
      assert.equal(isEphemeral(deno), false, deno);
      assert.equal(Deno.statSync(deno).isFile, true);
      assert.equal(spec.interrupt_mode, "message");
      assert.equal(
        Deno.readTextFileSync(join(dir, "deno_kernel.py")),
        Deno.readTextFileSync(join(ROOT, "scripts", "deno_kernel.py")),
      );
    } finally {
      Deno.removeSync(tmp, { recursive: true });
    }
  },
});
