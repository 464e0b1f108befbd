/* SPDX-License-Identifier: MIT
 * Copyright (c) 2026 The cnet authors */
/* The seed's chat room 1.0, as the seed has it, bugs included: the first
 * user to give a nickname stays in the room; anyone who joins while a user
 * is in it makes the others hear "welcome <nick> joined us!" and is then
 * disconnected, because broadcast() destroys the sender (and deletes it
 * from the room) once it has written to another user. Users who leave
 * stay in the room, and writes to them do nothing. The chat server that
 * works (nicknames, commands, telnet) is the cnet-chat tool, not this.
 *
 * Node original (seed 000, 1.2.7 "chat room 1.0"):
 *
 *   let net = require('net');
 *   let util = require('util');
 *   let clients = {};
 *   let server = net.createServer(function (socket) {
 *     server.getConnections(function (err, count) {
 *       socket.write(`welcome,there is ${count} users now,please input your username\r\n`);
 *     });
 *     let nickname;
 *     socket.setEncoding('utf8');
 *     socket.on('data', function (data) {
 *       data = data.replace(/\r\n/, '');
 *       if (data == 'byebye') {
 *         socket.end();
 *       } else {
 *         if (nickname) {
 *           broadcast(nickname, `${nickname}:${data}`);
 *         } else {
 *           nickname = data;
 *           clients[nickname] = socket;
 *           broadcast(nickname, `welcome ${nickname} joined us!`);
 *         }
 *       }
 *     })
 *     socket.on('close', function () {
 *       socket.destroy();
 *     });
 *   }).listen(8088);
 *
 *   function broadcast(nickname, msg) {
 *     for (let key in clients) {
 *       if (key != nickname) {
 *         clients[key].write(msg + '\r\n');
 *         clients[nickname].destroy();
 *         delete clients[nickname];
 *       }
 *     }
 *   }
 *
 * (A JavaScript object lists integer-like keys first; this room keeps
 * plain insertion order.)
 *
 * Run: build/bin/tcp_chat_room_v1 [port]   (default 8088), then
 * telnet localhost 8088 */
#include <cnet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The clients object: nickname -> socket, in insertion order. A socket
 * in it is held (cnet_socket_hold) so that it stays a valid object after
 * its 'close', as a JavaScript reference keeps a destroyed socket. */
struct member {
  struct member *next;
  cnet_socket *socket;
  char nickname[];
};

static struct member *clients;
static cnet_server *server;

/* A connection's own state: the closure's nickname. */
struct conn {
  cnet_socket *socket;
  char *nickname;
};

static struct member **find(const char *nickname) {
  struct member **pp = &clients;
  while (*pp && strcmp((*pp)->nickname, nickname) != 0) pp = &(*pp)->next;
  return pp;
}

/* clients[nickname] = socket: a new key goes last, an existing one keeps
 * its place. */
static void set_member(const char *nickname, cnet_socket *socket) {
  struct member **pp = find(nickname);
  cnet_socket_hold(socket);
  if (*pp) {
    cnet_socket_release((*pp)->socket);
    (*pp)->socket = socket;
    return;
  }
  size_t n = strlen(nickname) + 1;
  struct member *m = malloc(sizeof *m + n);
  if (!m) {
    cnet_socket_release(socket);
    return;
  }
  m->next = NULL;
  m->socket = socket;
  memcpy(m->nickname, nickname, n);
  *pp = m;
}

static void delete_member(const char *nickname) {
  struct member **pp = find(nickname);
  if (!*pp) return;
  struct member *m = *pp;
  *pp = m->next;
  cnet_socket_release(m->socket);
  free(m);
}

static void broadcast(const char *nickname, const char *msg) {
  /* for...in visits the keys present when it starts, skipping those
   * deleted before their turn. */
  size_t n = 0;
  for (struct member *m = clients; m; m = m->next) n++;
  char **keys = calloc(n ? n : 1, sizeof *keys);
  if (!keys) return;
  n = 0;
  for (struct member *m = clients; m; m = m->next) keys[n++] = strdup(m->nickname);
  size_t len = strlen(msg);
  char *line = malloc(len + 2);
  if (line) {
    memcpy(line, msg, len);
    memcpy(line + len, "\r\n", 2);
  }
  for (size_t i = 0; i < n && line; i++) {
    struct member *m = keys[i] ? *find(keys[i]) : NULL;
    if (!m || strcmp(keys[i], nickname) == 0) continue;
    cnet_socket_write(m->socket, line, len + 2, NULL, NULL);
    struct member *self = *find(nickname);
    if (!self) {
      /* clients[nickname].destroy() on undefined: Node throws and the
       * process ends. */
      fprintf(stderr, "TypeError: Cannot read properties of undefined "
                      "(reading 'destroy')\n");
      exit(1);
    }
    cnet_socket_destroy(self->socket, NULL);
    delete_member(nickname);
  }
  for (size_t i = 0; i < n; i++) free(keys[i]);
  free(keys);
  free(line);
}

static void on_count(void *srv, const cnet_error *err, void *arg) {
  int count = cnet_server_connection_count(srv);
  (void)err;
  struct conn *c = arg;
  char msg[128];
  int n = snprintf(msg, sizeof msg,
                   "welcome,there is %d users now,please input your username\r\n",
                   count);
  cnet_socket_write(c->socket, msg, (size_t)n, NULL, NULL);
}

static void on_data(const cnet_event *ev, void *arg) {
  struct conn *c = arg;
  /* data = data.replace(/\r\n/, ''): the first CR LF goes. */
  char *data = malloc(ev->len + 1);
  if (!data) return;
  memcpy(data, ev->data, ev->len);
  data[ev->len] = '\0';
  char *crlf = strstr(data, "\r\n");
  if (crlf) memmove(crlf, crlf + 2, strlen(crlf + 2) + 1);
  if (strcmp(data, "byebye") == 0) {
    cnet_socket_end(c->socket, NULL, 0, NULL, NULL);
  } else if (c->nickname && c->nickname[0]) { /* '' is falsy too */
    size_t n = strlen(c->nickname) + 1 + strlen(data) + 1;
    char *msg = malloc(n);
    if (msg) {
      snprintf(msg, n, "%s:%s", c->nickname, data);
      broadcast(c->nickname, msg);
      free(msg);
    }
  } else {
    free(c->nickname);
    c->nickname = strdup(data);
    if (c->nickname) {
      set_member(c->nickname, c->socket);
      size_t n = strlen(c->nickname) + 32;
      char *msg = malloc(n);
      if (msg) {
        snprintf(msg, n, "welcome %s joined us!", c->nickname);
        /* broadcast() may destroy this socket; it stays valid until its
         * 'close', which comes on a later turn. */
        broadcast(c->nickname, msg);
        free(msg);
      }
    }
  }
  free(data);
}

static void on_close(const cnet_event *ev, void *arg) {
  struct conn *c = arg;
  cnet_socket_destroy(ev->target, NULL);
  free(c->nickname);
  free(c);
}

static void on_connection(const cnet_event *ev, void *arg) {
  (void)arg;
  struct conn *c = calloc(1, sizeof *c);
  if (!c) {
    cnet_socket_destroy(ev->object, NULL);
    return;
  }
  c->socket = ev->object;
  cnet_server_get_connections(server, on_count, c);
  cnet_socket_set_encoding(c->socket, "utf8");
  cnet_on(c->socket, CNET_EV_DATA, on_data, c);
  cnet_on(c->socket, CNET_EV_CLOSE, on_close, c);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8088;
  cnet_loop *loop = cnet_default_loop();
  cnet_create_server(loop, NULL, on_connection, NULL, &server);
  int r = cnet_server_listen(server, port, NULL, 0);
  if (r != 0) {
    fprintf(stderr, "listen: %s\n", cnet_err_name(r));
    return 1;
  }
  cnet_loop_run(loop, CNET_RUN_DEFAULT);
  while (clients) delete_member(clients->nickname);
  cnet_server_free(server);
  return cnet_loop_close(loop) == 0 ? 0 : 1;
}
