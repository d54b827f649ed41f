// Package interrupt is how the commands stop on Ctrl-C and SIGTERM without
// losing the signal's ordinary power.
//
// Contract: Context returns a context cancelled by the first SIGINT or
// SIGTERM, so work that watches it stops cleanly (an output's temp file is
// discarded). The handler then gives the signals back to the system: a
// second signal ends the process at once, the default way, and if the
// process is still running Grace after the first (blocked in a system call
// that does not watch the context), the first signal is raised again and
// ends it the same way. A process that stops on its own within Grace exits
// as it chooses. stop releases the handler.
package interrupt
