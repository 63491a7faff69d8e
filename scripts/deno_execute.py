"""nbconvert preprocessor used by scripts/reproduce.ts and tests/notebooks_test.ts.

Deno's Jupyter kernel (seen with Deno 2.9.6) sometimes publishes a cell's `status: idle`
on IOPub *before* that cell's `execute_result` or last `stream` message. nbclient stops
collecting a cell's outputs at the first `idle`, so with the stock ExecutePreprocessor
such outputs are silently dropped (about one fast cell in four here). The project's
kernelspec runs the kernel through scripts/deno_kernel.py, which fixes the order; as a second
line of defence (e.g. a kernelspec without the wrapper), this subclass keeps reading the
cell's IOPub messages until none has arrived for `drain_seconds` after `idle`.

It also echoes progress to stderr (one line per code cell, the kernel's stdout and stderr as
it streams, and progress lines from lib/report/progress.ts at every 10%), so a long notebook
run under nbconvert is not silent.

Use: PYTHONPATH=scripts jupyter nbconvert --to notebook \
  --Exporter.preprocessors=deno_execute.DenoExecutePreprocessor NOTEBOOK.ipynb
"""

import queue
import re
import sys
import time

from nbclient.exceptions import CellExecutionComplete
from nbclient.util import ensure_async
from nbconvert.preprocessors import ExecutePreprocessor
from traitlets import Bool, Float


class DenoExecutePreprocessor(ExecutePreprocessor):
    """ExecutePreprocessor tolerant of late IOPub messages, with progress on stderr."""

    drain_seconds = Float(
        0.15, help="Keep reading a cell's IOPub messages until this long passes without one, after idle."
    ).tag(config=True)
    report_seconds = Float(2.0, help="Print a cell's elapsed time when it took at least this long.").tag(
        config=True
    )
    echo = Bool(True, help="Print per-cell progress and the kernel's streams to stderr.").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._n_code = sum(1 for c in nb.cells if c.cell_type == "code")
        self._k_code = 0
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        self._k_code += 1
        t0 = time.monotonic()
        first = cell.source.strip().splitlines()[0][:60]
        self._say(f"    [{self._k_code}/{self._n_code}] {first}\n")
        try:
            return super().preprocess_cell(cell, resources, index)
        finally:
            seconds = time.monotonic() - t0
            if seconds >= self.report_seconds:
                self._say(f"    [{self._k_code}/{self._n_code}] done in {seconds:.1f}s\n")

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        idle = False
        while True:
            try:
                timeout = self.drain_seconds if idle else None
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=timeout))
            except queue.Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            if msg["msg_type"] == "stream":
                self._say(_indent(msg["content"].get("text", "")))
            elif msg["msg_type"] in ("display_data", "update_display_data"):
                self._echo_progress(msg["content"])
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                idle = True

    def _echo_progress(self, content):
        display_id = (content.get("transient") or {}).get("display_id") or ""
        if not display_id.startswith("lobgame-progress-"):
            return
        text = content.get("data", {}).get("text/plain", "")
        m = re.search(r"(\d+)%", text)
        decile = int(m.group(1)) // 10 if m else 0
        shown = getattr(self, "_progress_shown", {})
        self._progress_shown = shown
        if shown.get(display_id, -1) < decile:
            shown[display_id] = decile
            self._say(_indent(text + "\n"))

    def _say(self, text):
        if self.echo and text:
            sys.stderr.write(text)
            sys.stderr.flush()


def _indent(text):
    lines = text.split("\n")
    return "\n".join(("      | " + l) if l else l for l in lines)
