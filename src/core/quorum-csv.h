/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Formula injection in CSV (a cell a spreadsheet would run): one rule for
 * the server that writes the members export and the app that saves it.
 * A cell whose first character is one of QUORUM_CSV_FORMULA_STARTS gets a
 * ' in front of it.
 */

#define QUORUM_CSV_FORMULA_STARTS "=+-@\t\r"

/* TRUE when a cell starting with c would be read as a formula. */
gboolean quorum_csv_is_formula_start (char c);

/* The same rule applied to a CSV (RFC 4180: quoted cells, doubled quotes,
 * CRLF rows) as it streams, chunk by chunk, in constant memory: every cell,
 * quoted or not, whose content starts with a formula character gets a '
 * before that character (inside the quotes). Everything else is copied as
 * it is, so an already neutralised cell ('=…) is left alone. Chunks may
 * split a cell or a doubled quote anywhere. */
typedef struct
{
  int state;  /* private */
} QuorumCsvGuard;

void     quorum_csv_guard_init        (QuorumCsvGuard *guard);
/* Appends data, neutralised, to out (at most len + len / 2 + 1 bytes). */
void     quorum_csv_guard_feed        (QuorumCsvGuard *guard,
                                       const char     *data,
                                       gsize           len,
                                       GByteArray     *out);

G_END_DECLS
