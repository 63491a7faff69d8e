/**
 * `deno task notebook:placement [--runs N] [--only NN]... [--no-notebooks]`: measures how many
 * outputs land in the wrong cell, or after their cell's idle (which the Notebook UI drops), when
 * cells are run with "Run All" timing through a Jupyter Notebook server, with Deno's own kernel
 * and with the project's kernel (Deno's through `scripts/deno_kernel.py`), side by side in one
 * run. Runs a 30-cell probe notebook `N` times (default 5) and each notebook once in quick mode,
 * per kernel, and prints one row per (kernel, notebook): outputs, misplaced (in another cell),
 * late (after idle, in their own cell), cells affected, seconds. The ground truth comes from a
 * probe prefixed to each cell (`scripts/_nbserver.ts`).
 *
 * Hermetic like the tests (temporary kernelspecs, Jupyter folders and `REPORT_OUT_DIR`).
 *
 * @module
 */
import { flagsOrExit } from "./_flags.ts";
import { join, relative } from "node:path";
import { listNotebooks, NOTEBOOKS, ROOT, sandboxEnv, writeKernelSpec } from "./_jupyter.ts";
import {
  codeCells,
  KernelSession,
  placement,
  probeCells,
  runAll,
  startNotebookServer,
} from "./_nbserver.ts";

const USAGE = "usage: deno task notebook:placement [--runs N] [--only NN]... [--no-notebooks]";

interface Row {
  kernel: string;
  notebook: string;
  runs: number;
  cells: number;
  outputs: number;
  misplaced: number;
  late: number;
  affected: number;
  failed: number;
  seconds: number;
}

async function measure(
  server: Awaited<ReturnType<typeof startNotebookServer>>,
  kernel: { name: string; label: string },
  notebook: string,
  cells: string[],
  runs: number,
): Promise<Row> {
  const row: Row = {
    kernel: kernel.label,
    notebook,
    runs,
    cells: 0,
    outputs: 0,
    misplaced: 0,
    late: 0,
    affected: 0,
    failed: 0,
    seconds: 0,
  };
  const path = notebook === "probe" ? "probe" : relative(ROOT, join(NOTEBOOKS, notebook));
  const k = await KernelSession.open(server, path, kernel.name);
  try {
    for (let r = 0; r < runs; r++) {
      const run = await runAll(k, cells);
      const p = placement(run);
      row.cells += cells.length;
      row.outputs += p.outputs;
      row.misplaced += p.misplaced.filter((m) => m.from !== m.to).length;
      row.late += p.misplaced.filter((m) => m.from === m.to && m.late).length;
      row.affected += p.cellsAffected;
      row.failed += p.failed.length;
      row.seconds += run.seconds;
    }
  } finally {
    await k.close();
  }
  return row;
}

function pct(a: number, b: number): string {
  return b === 0 ? "—" : `${(100 * a / b).toFixed(1)}%`;
}

async function main(): Promise<number> {
  const { values } = flagsOrExit(
    "notebook:placement",
    Deno.args,
    {
      runs: { type: "string", default: "5" },
      only: { type: "string", multiple: true },
      "no-notebooks": { type: "boolean", default: false },
    },
    USAGE,
  );
  const runs = Number(values.runs);
  if (!(Number.isInteger(runs) && runs > 0)) {
    console.error(`--runs: a positive integer, got ${values.runs}`);
    return 2;
  }
  const only = (values.only ?? []).map((s) => s.padStart(2, "0"));
  const notebooks = values["no-notebooks"]
    ? []
    : listNotebooks().filter((f) => only.length === 0 || only.some((p) => f.startsWith(`${p}_`)));
  const tmp = Deno.makeTempDirSync({ prefix: "placement-" });
  const env = { ...sandboxEnv(tmp), QUICK: "1" };
  const plain = join(tmp, "plain");
  writeKernelSpec(plain, { wrapped: false });
  Deno.renameSync(join(plain, "kernels", "deno"), join(tmp, "jupyter", "kernels", "deno-plain"));
  const server = await startNotebookServer({ root: ROOT, env });
  const kernels = [
    { name: "deno-plain", label: "Deno's kernel" },
    { name: "deno", label: "with deno_kernel.py" },
  ];
  const rows: Row[] = [];
  try {
    const jobs: [string, string[], number][] = [
      ["probe", probeCells(30), runs],
      ...notebooks.map((f): [string, string[], number] => [f, codeCells(join(NOTEBOOKS, f)), 1]),
    ];
    for (const [name, cells, n] of jobs) {
      for (const kernel of kernels) {
        const row = await measure(server, kernel, name, cells, n);
        rows.push(row);
        console.error(
          `${kernel.label.padEnd(20)} ${
            name.padEnd(28)
          } ${row.misplaced} misplaced, ${row.late} late of ${row.outputs} outputs`,
        );
      }
    }
  } catch (e) {
    console.error(`${e}\n--- the server's last messages:\n${server.log().slice(-4000)}`);
    throw e;
  } finally {
    await server.stop();
    Deno.removeSync(tmp, { recursive: true });
  }
  const head =
    "| kernel | notebook | runs | cells | outputs | in another cell | after idle | cells affected | failed cells | s per run |";
  console.log(`\n${head}\n|${" --- |".repeat(10)}`);
  const total = (k: string, probe: boolean) => {
    const rs = rows.filter((r) => r.kernel === k && (r.notebook === "probe") === probe);
    const sum = (f: (r: Row) => number) => rs.reduce((s, r) => s + f(r), 0);
    return {
      outputs: sum((r) => r.outputs),
      bad: sum((r) => r.misplaced + r.late),
      cells: sum((r) => r.cells),
      affected: sum((r) => r.affected),
    };
  };
  for (const r of rows) {
    console.log(
      `| ${r.kernel} | ${r.notebook} | ${r.runs} | ${r.cells} | ${r.outputs} | ${r.misplaced} | ${r.late} | ${r.affected} (${
        pct(r.affected, r.cells)
      }) | ${r.failed} | ${(r.seconds / r.runs).toFixed(2)} |`,
    );
  }
  console.log("");
  for (const k of kernels) {
    for (const probe of [true, false]) {
      if (!probe && notebooks.length === 0) continue;
      const t = total(k.label, probe);
      console.log(
        `${k.label}, ${
          probe ? "probe notebook" : "all notebooks"
        }: ${t.bad} of ${t.outputs} outputs misplaced or late (${
          pct(t.bad, t.outputs)
        }), ${t.affected} of ${t.cells} cells affected (${pct(t.affected, t.cells)})`,
      );
    }
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main());
