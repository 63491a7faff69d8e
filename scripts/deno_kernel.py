"""A Jupyter kernel wrapper for Deno's kernel that keeps every output in its own cell.

Deno's kernel (seen with 2.9.6; `cli/js/jupyter_kernel.js`) publishes a cell's outputs
(`console.log`, `Deno.jupyter.display`, the cell's `execute_result`) from a queue that is
drained concurrently with the cell's `execute_reply` and `status: idle`, and it stamps each
output with the parent header of the request that is current *when the output is drained*.
So an output can arrive after its cell's `idle` (a front end that has moved on drops it or
shows it late), and when the next `execute_request` is already queued ("Run All"), the late
output carries the *next* cell's header and appears under the next cell.

This wrapper sits between the front end and `deno jupyter --kernel` and serialises
execution: it forwards one `execute_request` at a time; when Deno reports that cell `idle`,
it holds the `idle` back and sends Deno a silent "flush" request whose code broadcasts a
marker message through the same queue as the outputs. The queue is first-in first-out, so
once the marker arrives every output of the cell has been published: outputs that Deno
stamped with the flush request's header are re-stamped with the cell's own header (and
re-signed), the flush request's own status/reply messages are dropped, and only then is the
cell's `idle` forwarded and the next queued `execute_request` sent. Nothing depends on
timing. The cost is one small round trip per executed cell (a few milliseconds).

Other requests (completion, inspection, kernel info, control messages) pass through; the
heartbeat is answered here; the wrapper exits when Deno's process exits or when the process
that started it (the Jupyter server) is gone, and Deno is killed if the wrapper dies. Needs
only pyzmq (Debian's python3-zmq, a dependency of Jupyter).

Usage (as a kernelspec's argv; `scripts/_jupyter.ts` writes it):

    python3 deno_kernel.py {connection_file} -- /path/to/deno jupyter --kernel --conn

The Deno command gets the path of its own connection file (same key, other ports) appended.
"""

import ctypes
import datetime
import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import zmq

DELIM = b"<IDS|MSG>"
FLUSH_TYPE = "lobgame_flush"
FLUSH_GRACE_SECONDS = 10.0


def log(text):
    sys.stderr.write(f"[deno_kernel.py] {text}\n")
    sys.stderr.flush()


def free_ports(ip, n):
    socks, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind((ip, 0))
        socks.append(s)
        ports.append(s.getsockname()[1])
    for s in socks:
        s.close()
    return ports


class Message:
    """A Jupyter wire message: identities, then the signed frames, then buffers."""

    def __init__(self, frames):
        i = frames.index(DELIM)
        self.idents = frames[:i]
        self.frames = frames[i + 1 :]
        self.header = json.loads(self.frames[1])
        self.parent = json.loads(self.frames[2]) if self.frames[2] else {}

    @property
    def msg_id(self):
        return self.header.get("msg_id")

    @property
    def msg_type(self):
        return self.header.get("msg_type")

    @property
    def parent_id(self):
        return self.parent.get("msg_id")


class Proxy:
    def __init__(self, conn_file, deno_cmd):
        with open(conn_file) as f:
            self.info = json.load(f)
        key = self.info.get("key", "")
        self.key = key.encode() if isinstance(key, str) else key
        scheme = self.info.get("signature_scheme", "hmac-sha256")
        self.digest = getattr(hashlib, scheme.split("-", 1)[1])
        self.session = str(uuid.uuid4())
        self.ctx = zmq.Context()
        self.parent_pid = os.getppid()
        self.tmp = tempfile.mkdtemp(prefix="deno-kernel-")
        self._bind_front()  # first, so that the ports chosen for Deno cannot be these
        self._start_deno(deno_cmd)
        self._connect_deno()
        # Execution state (see the module doc).
        self.queue = []  # (client identities, frames) of execute_requests not yet sent
        self.current = None  # {"id", "header_frame", "idents"} of the cell in flight
        self.flush = None  # {"id", "marker", "reply", "idle", "since"} of the flush request
        self.held_idle = None  # the current cell's idle, held until the flush completes
        self.reply_to = {}  # request msg_id -> client identities, for shell replies
        # Deno's IOPub drops what it publishes before our subscription is connected, so no
        # execute_request is sent until a probe (kernel_info_request) has been seen on IOPub.
        self.ready = False
        self.probes = set()
        self.last_probe = 0.0

    # --- set-up ---------------------------------------------------------------------------

    def _child_connection(self):
        ip = self.info.get("ip", "127.0.0.1")
        names = ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"]
        info = {k: v for k, v in self.info.items() if k not in names}
        info.update(dict(zip(names, free_ports(ip, len(names)))))
        return info

    def _start_deno(self, deno_cmd, attempts=3):
        """Starts Deno's kernel on free ports; starts it again on other ports if it exits
        before listening (another process took a port between our choice and its bind)."""
        child_file = os.path.join(self.tmp, "kernel.json")
        for attempt in range(1, attempts + 1):
            self.child_info = self._child_connection()
            with open(child_file, "w") as f:
                json.dump(self.child_info, f)
            self.child = subprocess.Popen(deno_cmd + [child_file], preexec_fn=_die_with_parent)
            if self._wait_listening():
                return
            log(f"Deno's kernel exited at start (code {self.child.returncode}), attempt {attempt}")
        self.stop(self.child.returncode or 1)

    def _wait_listening(self):
        """Waits until Deno listens on all its ports (read from /proc/net/tcp*, so that no
        connection attempt of ours takes one of those ports as its local port first).
        False if Deno exited first."""
        ports = {self.child_info[k] for k in self.child_info if k.endswith("_port")}
        t0 = time.monotonic()
        while time.monotonic() - t0 < 120:
            if self.child.poll() is not None:
                return False
            listening = _listening_ports()
            if listening is None:  # no /proc: give Deno a moment, ZMQ reconnects anyway
                time.sleep(1.0)
                return True
            if ports <= listening:
                return True
            time.sleep(0.02)
        log("Deno did not listen on its ports within 120 s")
        return True

    def _url(self, info, port_name):
        transport = info.get("transport", "tcp")
        return f"{transport}://{info.get('ip', '127.0.0.1')}:{info[port_name]}"

    def _bind_front(self):
        c = self.ctx
        up = self.info
        self.f_shell = c.socket(zmq.ROUTER)
        self.f_control = c.socket(zmq.ROUTER)
        self.f_stdin = c.socket(zmq.ROUTER)
        self.f_iopub = c.socket(zmq.PUB)
        self.f_hb = c.socket(zmq.REP)
        for s, name in [
            (self.f_shell, "shell_port"),
            (self.f_control, "control_port"),
            (self.f_stdin, "stdin_port"),
            (self.f_iopub, "iopub_port"),
            (self.f_hb, "hb_port"),
        ]:
            s.linger = 1000
            s.bind(self._url(up, name))

    def _connect_deno(self):
        c = self.ctx
        down = self.child_info
        self.k_shell = c.socket(zmq.DEALER)
        self.k_control = c.socket(zmq.DEALER)
        self.k_stdin = c.socket(zmq.DEALER)
        self.k_iopub = c.socket(zmq.SUB)
        self.k_iopub.setsockopt(zmq.SUBSCRIBE, b"")
        for s, name in [
            (self.k_shell, "shell_port"),
            (self.k_control, "control_port"),
            (self.k_stdin, "stdin_port"),
            (self.k_iopub, "iopub_port"),
        ]:
            s.linger = 1000
            s.connect(self._url(down, name))
        self.poller = zmq.Poller()
        for s in [
            self.f_shell,
            self.f_control,
            self.f_stdin,
            self.f_hb,
            self.k_shell,
            self.k_control,
            self.k_stdin,
            self.k_iopub,
        ]:
            self.poller.register(s, zmq.POLLIN)

    # --- signing ---------------------------------------------------------------------------

    def sign(self, parts):
        if not self.key:
            return b""
        h = hmac.new(self.key, digestmod=self.digest)
        for p in parts:
            h.update(p)
        return h.hexdigest().encode()

    def message(self, msg_type, content):
        header = {
            "msg_id": str(uuid.uuid4()),
            "msg_type": msg_type,
            "session": self.session,
            "username": "deno_kernel.py",
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "version": "5.3",
        }
        parts = [json.dumps(p).encode() for p in (header, {}, {}, content)]
        return header["msg_id"], [DELIM, self.sign(parts)] + parts

    # --- the main loop ---------------------------------------------------------------------

    def run(self):
        signal.signal(signal.SIGINT, lambda *_: self.interrupt())
        signal.signal(signal.SIGTERM, lambda *_: self.stop(0))
        while True:
            code = self.child.poll()
            if code is not None:
                self.stop(code)
            if os.getppid() != self.parent_pid:  # the front end died without stopping us
                log("the process that started the kernel is gone; stopping")
                self.stop(0)
            try:
                events = dict(self.poller.poll(200))
            except zmq.ZMQError:
                continue  # interrupted by a signal
            if self.f_hb in events:
                self.f_hb.send_multipart(self.f_hb.recv_multipart())
            if self.f_control in events:
                frames = self.f_control.recv_multipart()
                m = Message(frames)
                self.reply_to[m.msg_id] = m.idents
                self.k_control.send_multipart([DELIM] + m.frames)
            if self.k_control in events:
                self._to_client(self.f_control, Message(self.k_control.recv_multipart()))
            if self.f_stdin in events:
                m = Message(self.f_stdin.recv_multipart())
                self.k_stdin.send_multipart([DELIM] + m.frames)
            if self.k_stdin in events:
                m = Message(self.k_stdin.recv_multipart())
                idents = self.current["idents"] if self.current else []
                self.f_stdin.send_multipart(idents + [DELIM] + m.frames)
            if self.f_shell in events:
                self._from_client(Message(self.f_shell.recv_multipart()))
            if self.k_iopub in events:
                self._iopub(Message(self.k_iopub.recv_multipart()))
            if self.k_shell in events:
                self._shell_reply(Message(self.k_shell.recv_multipart()))
            self._check_flush()
            self._probe()

    def _probe(self):
        if self.ready or time.monotonic() - self.last_probe < 0.25:
            return
        self.last_probe = time.monotonic()
        msg_id, frames = self.message("kernel_info_request", {})
        self.probes.add(msg_id)
        self.k_shell.send_multipart(frames)

    def _to_client(self, sock, m):
        idents = self.reply_to.pop(m.parent_id, None)
        if idents is None:
            log(f"dropping {m.msg_type}: no client for request {m.parent_id}")
            return
        sock.send_multipart(idents + [DELIM] + m.frames)

    def _from_client(self, m):
        self.reply_to[m.msg_id] = m.idents
        if m.msg_type == "execute_request":
            self.queue.append(m)
            self._next()
        else:
            self.k_shell.send_multipart([DELIM] + m.frames)

    def _next(self):
        if self.ready and self.current is None and self.flush is None and self.queue:
            m = self.queue.pop(0)
            self.current = {"id": m.msg_id, "header_frame": m.frames[1], "idents": m.idents}
            self.k_shell.send_multipart([DELIM] + m.frames)

    def _shell_reply(self, m):
        if m.parent_id in self.probes:
            return
        if self.flush and m.parent_id == self.flush["id"]:
            self.flush["reply"] = True
            return
        self._to_client(self.f_shell, m)

    def _iopub(self, m):
        if m.parent_id in self.probes:
            if not self.ready:
                self.ready = True
                self._next()
            return
        fl = self.flush
        if fl and m.parent_id == fl["id"]:
            if m.msg_type == FLUSH_TYPE:
                fl["marker"] = True
            elif m.msg_type == "status":
                if json.loads(m.frames[4]).get("execution_state") == "idle":
                    fl["idle"] = True
            elif m.msg_type == "execute_input":
                pass
            elif m.msg_type == "error" and not fl["marker"]:
                log("the flush request failed: " + m.frames[4].decode(errors="replace"))
                fl["marker"] = True
            else:
                self._forward_as(m, self.current["header_frame"])
            return
        cur = self.current
        if (
            cur
            and fl is None
            and m.parent_id == cur["id"]
            and m.msg_type == "status"
            and json.loads(m.frames[4]).get("execution_state") == "idle"
        ):
            self.held_idle = m
            self._start_flush()
            return
        self.f_iopub.send_multipart(m.idents + [DELIM] + m.frames)

    def _forward_as(self, m, parent_frame):
        h, _, meta, content = m.frames[1:5]
        parts = [h, parent_frame, meta, content]
        self.f_iopub.send_multipart(m.idents + [DELIM, self.sign(parts)] + parts + m.frames[5:])

    def _start_flush(self):
        code = f'Deno.jupyter.broadcast("{FLUSH_TYPE}", {{}}); void 0;'
        msg_id, frames = self.message(
            "execute_request",
            {
                "code": code,
                "silent": True,
                "store_history": False,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": False,
            },
        )
        self.flush = {"id": msg_id, "marker": False, "reply": False, "idle": False, "since": None}
        self.k_shell.send_multipart(frames)

    def _check_flush(self):
        fl = self.flush
        if fl is None:
            return
        if fl["reply"] and fl["idle"] and not fl["marker"]:
            fl["since"] = fl["since"] or time.monotonic()
            if time.monotonic() - fl["since"] < FLUSH_GRACE_SECONDS:
                return
            log("no flush marker after the flush request finished; releasing the cell")
        elif not (fl["reply"] and fl["idle"] and fl["marker"]):
            return
        self.flush = None
        if self.held_idle is not None:
            m = self.held_idle
            self.f_iopub.send_multipart(m.idents + [DELIM] + m.frames)
        self.held_idle = None
        self.current = None
        self._next()

    def interrupt(self):
        _, frames = self.message("interrupt_request", {})
        self.k_control.send_multipart(frames)

    def stop(self, code):
        if self.child.poll() is None:
            self.child.terminate()
            try:
                self.child.wait(5)
            except subprocess.TimeoutExpired:
                self.child.kill()
        try:
            for name in os.listdir(self.tmp):
                os.remove(os.path.join(self.tmp, name))
            os.rmdir(self.tmp)
        except OSError:
            pass
        self.ctx.destroy(linger=0)
        sys.exit(code)


def _listening_ports():
    """TCP ports in LISTEN state (IPv4 and IPv6), or None when /proc/net/tcp is unreadable."""
    ports = set()
    found = False
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                lines = f.readlines()[1:]
        except OSError:
            continue
        found = True
        for line in lines:
            fields = line.split()
            if len(fields) > 3 and fields[3] == "0A":  # TCP_LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports if found else None


def _die_with_parent():
    """In the child: receive SIGKILL when the wrapper dies (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
    except OSError:
        pass


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        sys.stderr.write(__doc__)
        sys.stderr.write("\nusage: deno_kernel.py CONNECTION_FILE -- DENO_COMMAND...\n")
        return 2
    Proxy(argv[1], argv[3:]).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
