/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * ClickHouse passwords in the desktop keyring (libsecret: the Secret Service, or the
 * Secret portal under Flatpak), keyed by server address and user. Never in a file.
 */

void      seg_clickhouse_keyring_store_async   (const char           *server,
                                                const char           *user,
                                                const char           *label,
                                                const char           *password,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean  seg_clickhouse_keyring_store_finish  (GAsyncResult         *result,
                                                GError              **error);
void      seg_clickhouse_keyring_lookup_async  (const char           *server,
                                                const char           *user,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
char     *seg_clickhouse_keyring_lookup_finish (GAsyncResult         *result,
                                                GError              **error);
char     *seg_clickhouse_keyring_lookup_sync   (const char           *server,
                                                const char           *user,
                                                guint                 timeout_ms,
                                                GCancellable         *cancellable,
                                                GError              **error);
void      seg_clickhouse_keyring_clear_async   (const char           *server,
                                                const char           *user,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean  seg_clickhouse_keyring_clear_finish  (GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
