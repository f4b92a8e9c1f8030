/* server.c — libfcgi worker pool: one socket, N threads each with FCGX_Accept_r and its own libpq connection. */
#include "server.h"
#include "buf.h"
#include "db.h"
#include "file_type.h"
#include "http.h"
#include "log.h"
#include "mem.h"
#include "role.h"
#include "routes.h"

#include <errno.h>
#include <fcgiapp.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define LISTEN_BACKLOG 1024
#define BUSY_DEADLINE_S 30   /* longest wait for in-flight requests */
#define IDLE_GRACE_MS 2000   /* then workers idling on kept connections are left behind */

enum worker_state { W_STARTING, W_IDLE, W_BUSY, W_DONE };

struct worker {
	pthread_t thread;
	int started;                 /* pthread_create succeeded */
	int index;
	int listen_fd;
	const struct config *cfg;    /* borrowed, outlives the worker */
	enum worker_state state;     /* guarded by state_lock */
};

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t state_changed;
static atomic_int stopping;

static void set_state(struct worker *w, enum worker_state s)
{
	pthread_mutex_lock(&state_lock);
	w->state = s;
	pthread_cond_broadcast(&state_changed);
	pthread_mutex_unlock(&state_lock);
}

static long fcgi_read(void *ctx, char *p, size_t n)
{
	int chunk = n > INT_MAX ? INT_MAX : (int)n;
	return FCGX_GetStr(p, chunk, (FCGX_Stream *)ctx);
}

/* FCGX_PutStr takes an int: write big buffers in pieces. Never FCGX_FPrintF (no %zu there). */
static void put_all(const char *p, size_t n, FCGX_Stream *out)
{
	while (n > 0) {
		int chunk = n > (1 << 20) ? (1 << 20) : (int)n;
		if (FCGX_PutStr(p, chunk, out) != chunk)
			return;
		p += chunk;
		n -= (size_t)chunk;
	}
}

/* body_writer for a file body: the FastCGI output stream. */
static int fcgi_write(void *ctx, const char *p, size_t n)
{
	FCGX_Stream *out = ctx;
	while (n > 0) {
		int chunk = n > (1 << 20) ? (1 << 20) : (int)n;
		if (FCGX_PutStr(p, chunk, out) != chunk)
			return -1;
		p += chunk;
		n -= (size_t)chunk;
	}
	/* Hand each piece to nginx now rather than letting libfcgi's buffer decide. */
	return FCGX_FFlush(out) == 0 ? 0 : -1;
}

static double ms_since(struct timespec t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
}

/* One request, start to finish; nothing of it survives the call. */
static void handle(const struct config *cfg, struct db *db, FCGX_Request *r)
{
	struct timespec t0;
	struct req req;
	struct resp resp;
	struct buf head = BUF_INIT;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	req_init(&req, cfg, db);
	req_load_params(&req, r->envp);
	resp_init(&resp, req.request_id);
	req_set_body_source(&req, fcgi_read, r->in);
	router_dispatch(api_routes, api_routes_count, &req, &resp);
	req_body_discard(&req); /* a body left unread (an early error) would break nginx's send */

	resp_head(&resp, &head);
	put_all(head.data, head.len, r->out);
	if (resp.has_file)
		resp_send_file(&resp, fcgi_write, r->out); /* exports: streamed from disk, then closed */
	else if (resp.content_type && resp.status != 204)
		put_all(resp.body.data ? resp.body.data : "", resp.body.len, r->out);

	struct log_request_fields f = {
		.rid = req.request_id, .method = req.method, .path = req.path,
		.role = role_name(req.log_role), .error_code = resp.error_code[0] ? resp.error_code : NULL,
		.status = resp.status, .ms = ms_since(t0), .user_id = req.log_user_id,
	};
	log_request(&f);
	buf_free(&head);
	resp_free(&resp);
	req_free(&req);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	FCGX_Request r;
	struct db *db = NULL;

	if (FCGX_InitRequest(&r, w->listen_fd, 0) != 0) {
		log_msg(LL_ERROR, NULL, "worker %d: FCGX_InitRequest failed", w->index);
		set_state(w, W_DONE);
		return NULL;
	}
	db = db_new(w->cfg->db_conninfo);
	for (;;) {
		set_state(w, W_IDLE);
		if (atomic_load(&stopping))
			break;
		if (FCGX_Accept_r(&r) < 0) {
			if (atomic_load(&stopping))
				break;
			log_msg(LL_WARN, NULL, "worker %d: accept failed: %s", w->index, strerror(errno));
			nanosleep(&(struct timespec){ 0, 100 * 1000000L }, NULL);
			continue;
		}
		/* Accepted means in flight: it is served even if a stop began meanwhile. */
		set_state(w, W_BUSY);
		handle(w->cfg, db, &r);
		FCGX_Finish_r(&r);
	}
	FCGX_Free(&r, 1);
	db_free(db);
	set_state(w, W_DONE);
	return NULL;
}

static void noop_handler(int sig)
{
	(void)sig;
}

/*
 * Removes a stale socket left by a killed process. Returns -1 when a live
 * server still answers on it (we must not steal its socket), else 0.
 */
static int remove_stale_socket(const char *path)
{
	struct stat st;
	struct sockaddr_un sun;
	int fd, alive;

	if (lstat(path, &st) != 0 || !S_ISSOCK(st.st_mode) || strlen(path) >= sizeof sun.sun_path)
		return 0;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	alive = fd >= 0 && connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0;
	if (fd >= 0)
		close(fd);
	if (alive)
		return -1;
	unlink(path);
	return 0;
}

static int is_unix_path(const char *path)
{
	return strchr(path, ':') == NULL;
}

static void timespec_add_ms(struct timespec *t, long ms)
{
	t->tv_sec += ms / 1000;
	t->tv_nsec += (ms % 1000) * 1000000L;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
}

/*
 * After the listening socket is shut down: waits until no request is in
 * flight (at most BUSY_DEADLINE_S), then up to IDLE_GRACE_MS more for idle
 * workers to leave. Returns how many workers are still running.
 */
static int wait_for_workers(struct worker *ws, int n)
{
	struct timespec busy_deadline, idle_deadline = { 0, 0 };
	int running = 0;

	clock_gettime(CLOCK_MONOTONIC, &busy_deadline);
	busy_deadline.tv_sec += BUSY_DEADLINE_S;
	pthread_mutex_lock(&state_lock);
	for (;;) {
		int busy = 0;
		running = 0;
		for (int i = 0; i < n; i++) {
			if (ws[i].started && ws[i].state != W_DONE)
				running++;
			if (ws[i].started && (ws[i].state == W_BUSY || ws[i].state == W_STARTING))
				busy++;
		}
		if (running == 0)
			break;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		const struct timespec *deadline = &busy_deadline;
		if (busy == 0) {
			if (idle_deadline.tv_sec == 0) {
				idle_deadline = now;
				timespec_add_ms(&idle_deadline, IDLE_GRACE_MS);
			}
			deadline = &idle_deadline;
		}
		if (pthread_cond_timedwait(&state_changed, &state_lock, deadline) == ETIMEDOUT)
			break;
	}
	pthread_mutex_unlock(&state_lock);
	return running;
}

int server_run(const struct config *cfg)
{
	sigset_t stop_signals;
	struct sigaction sa;
	struct worker *ws = NULL;
	pthread_condattr_t ca;
	int listen_fd = -1, rc = 1, sig = 0, left;

	/* Before FCGX_Init and before any thread: every thread inherits the mask. */
	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	/* libfcgi takes over SIGTERM only while its handler is the default one. */
	sa.sa_handler = noop_handler;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&state_changed, &ca);
	pthread_condattr_destroy(&ca);

	if (FCGX_Init() != 0) {
		log_msg(LL_ERROR, NULL, "FCGX_Init failed");
		goto out;
	}
	sigaction(SIGTERM, NULL, &sa);
	if (sa.sa_handler != noop_handler)
		log_msg(LL_WARN, NULL, "libfcgi replaced the SIGTERM handler");

	if (is_unix_path(cfg->socket_path) && remove_stale_socket(cfg->socket_path) != 0) {
		log_msg(LL_ERROR, NULL, "another server is listening on %s", cfg->socket_path);
		goto out;
	}
	listen_fd = FCGX_OpenSocket(cfg->socket_path, LISTEN_BACKLOG);
	if (listen_fd < 0) {
		log_msg(LL_ERROR, NULL, "cannot listen on %s: %s", cfg->socket_path, strerror(errno));
		goto out;
	}
	/* nginx workers run as another user: they must be able to connect. */
	if (is_unix_path(cfg->socket_path) && chmod(cfg->socket_path, 0666) != 0) {
		log_msg(LL_ERROR, NULL, "cannot chmod %s: %s", cfg->socket_path, strerror(errno));
		goto out;
	}

	if (file_type_init() != 0)
		log_msg(LL_ERROR, NULL, "cannot load libmagic's database: uploads will be refused");
	ws = xcalloc((size_t)cfg->workers, sizeof *ws);
	for (int i = 0; i < cfg->workers; i++) {
		ws[i].index = i;
		ws[i].listen_fd = listen_fd;
		ws[i].cfg = cfg;
		ws[i].state = W_STARTING;
		int e = pthread_create(&ws[i].thread, NULL, worker_main, &ws[i]);
		if (e != 0) {
			log_msg(LL_ERROR, NULL, "cannot start worker %d: %s", i, strerror(e));
			break;
		}
		ws[i].started = 1;
	}
	if (!ws[0].started)
		goto stop;
	log_msg(LL_INFO, NULL, "listening on %s with %d workers", cfg->socket_path, cfg->workers);

	while (sigwait(&stop_signals, &sig) != 0)
		;
	log_msg(LL_INFO, NULL, "%s received: finishing in-flight requests", sig == SIGINT ? "SIGINT" : "SIGTERM");
	rc = 0;
stop:
	atomic_store(&stopping, 1);
	shutdown(listen_fd, SHUT_RDWR); /* wakes every thread blocked in accept() */
	left = wait_for_workers(ws, cfg->workers);
	if (left > 0) {
		/* Idle on nginx keep-alive connections, nothing in flight: leave them behind. */
		log_msg(LL_WARN, NULL, "%d idle worker(s) still hold kept connections; exiting", left);
		if (is_unix_path(cfg->socket_path))
			unlink(cfg->socket_path);
		log_msg(LL_INFO, NULL, "stopped");
		_exit(rc);
	}
	for (int i = 0; i < cfg->workers; i++)
		if (ws[i].started)
			pthread_join(ws[i].thread, NULL);
	log_msg(LL_INFO, NULL, "stopped");
out:
	free(ws);
	if (listen_fd >= 0) {
		close(listen_fd);
		if (is_unix_path(cfg->socket_path))
			unlink(cfg->socket_path);
	}
	file_type_end();
	pthread_cond_destroy(&state_changed);
	return rc;
}
