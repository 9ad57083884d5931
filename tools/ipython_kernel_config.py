# IPython kernel settings for the book's virtual environments. The Makefile
# copies this file to <venv>/etc/ipython/ipython_kernel_config.py, which every
# kernel started from that environment reads (nbval, the book build, Voilà,
# JupyterLab, `jupyter execute`); it changes nothing outside the environment.
#
# ipykernel (7.x) logs, on every kernel start, "Kernel is running over TCP
# without encryption. ..." whenever the transport is TCP: unconditionally, since
# Jupyter's clients (nbclient, jupyter_server) always start kernels that way and
# none of them provisions CurveZMQ keys. The kernels here listen on the loopback
# interface only. That line, and only it, is dropped from the kernel's log; every
# other message of the kernel's own log still reaches the terminal.
import logging

TCP_WARNING = "Kernel is running over TCP without encryption."


class DropUnencryptedTcpWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(TCP_WARNING)


c = get_config()  # noqa: F821 - provided by IPython when it loads this file
c.IPKernelApp.logging_config = {
    "filters": {"book_drop_tcp_warning": {"()": DropUnencryptedTcpWarning}},
    "handlers": {"console": {"filters": ["book_drop_tcp_warning"]}},
}

# BOOK_FIGURE_CHECK=1 (the Makefile sets it for strict nbval) loads book.figcheck as an
# IPython extension: every figure a cell shows is checked for clipped or overlapping text,
# a legend over the data and text too small on a phone, and the cell fails with the list.
# Readers' kernels (the variable unset) load nothing.
import os

if os.environ.get("BOOK_FIGURE_CHECK") == "1":
    c.InteractiveShellApp.extensions = ["book.figcheck"]
