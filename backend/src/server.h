/* server.h — the FastCGI process: listening socket, worker threads, graceful shutdown. */
#ifndef ORIENTIR_SERVER_H
#define ORIENTIR_SERVER_H

#include "config.h"

/*
 * Serves until SIGTERM or SIGINT. Blocks both signals in every thread
 * (before FCGX_Init and before any thread exists) and takes them with
 * sigwait() in the calling thread; ignores SIGPIPE. On a signal: stops
 * accepting (shutdown(2) of the listening socket wakes blocked accepts),
 * lets in-flight requests finish, joins the workers, removes the socket.
 * Returns the process exit code: 0 after a clean stop, 1 when it cannot start.
 */
int server_run(const struct config *cfg);

#endif
