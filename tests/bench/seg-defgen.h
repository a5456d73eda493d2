/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * seg-defgen: random segment definitions (FORMAT-SPEC version 1) over seg-gen's data,
 * each paired with an equivalent plain SQL query over the baseline schema
 * (tests/bench/sql/schema.sql after nullify.sql), for differential testing of the engine.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * seg_defgen_generate:
 * @rand: the random source; the same seed gives the same definitions
 * @now_ms: "now" in epoch milliseconds (the store timezone is UTC)
 * @out_sql: (out) (transfer full): a SELECT returning the user_id of every qualifying
 *   user, one row each, ordered by user_id
 *
 * The definition only uses what seg-gen writes: its events, properties and profile
 * columns, with values drawn from seg-gen's vocabulary so that most definitions select
 * someone. It never uses include/exclude (they need saved segments), "is_empty" or list
 * operators (the canonical CSV has no lists).
 *
 * The user universe of the SQL is every user_id in profiles or events.
 *
 * Returns: (transfer full): the definition
 */
JsonNode *seg_defgen_generate (GRand  *rand,
                               gint64  now_ms,
                               char  **out_sql);

G_END_DECLS
