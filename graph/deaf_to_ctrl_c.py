"""Imported first by the extraction's fork server, to make it and its workers ignore Ctrl-C.

Job: make the process that imports it ignore SIGINT, as its only effect.
Input: none. Output: none.

Ctrl-C in a terminal reaches every process of the group: the build stops its workers and
reports the interrupt in one line; the workers would each print a traceback from wherever
spaCy was. The fork server is started by a submit of graph.engines.local, which blocks
Ctrl-C in the build's thread while it runs, so the server is born with it blocked; this
module, first in the server's preload list, then ignores it for good before spaCy is
imported, and every worker forked from the server inherits that (the server gives its
children the handler it had after its preloads). Ignoring Ctrl-C in the build's own
process while the server starts would lose a Ctrl-C arriving in that moment: the build
would run on for minutes.
"""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
if hasattr(signal, "pthread_sigmask"):
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
