/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "quorum-core.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static GByteArray *
guard (const char *data,
       gsize       size,
       gsize       cut)
{
  QuorumCsvGuard state;
  GByteArray *out = g_byte_array_new ();

  quorum_csv_guard_init (&state);
  /* An empty chunk is not fed: data may be NULL (an empty GByteArray's),
   * and NULL + 0 is undefined behaviour. */
  if (cut > 0)
    quorum_csv_guard_feed (&state, data, cut, out);
  if (size > cut)
    quorum_csv_guard_feed (&state, data + cut, size - cut, out);
  return out;
}

/* memcmp() is declared nonnull even for a length of 0, and an empty
 * GByteArray's data is NULL. */
static gboolean
same_bytes (const GByteArray *a,
            const GByteArray *b)
{
  return a->len == b->len && (a->len == 0 || memcmp (a->data, b->data, a->len) == 0);
}

/* The CSV formula guard on any bytes: the output is the input with a '
 * before some formula characters and nothing else, whatever the cut
 * between two chunks; within the growth bound; and a second pass changes
 * nothing (a neutralised cell stays as it is). */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *in = (const char *) data;
  gsize cut = size > 0 ? data[0] % (size + 1) : 0;
  g_autoptr(GByteArray) whole = guard (in, size, size);
  g_autoptr(GByteArray) split = guard (in, size, cut);
  g_autoptr(GByteArray) again = guard ((const char *) whole->data, whole->len, whole->len / 2);
  gsize i = 0, j = 0;

  g_assert (same_bytes (whole, split));
  g_assert (whole->len <= size + size / 2 + 1);
  g_assert (same_bytes (again, whole));
  while (j < whole->len)
    {
      if (i < size && whole->data[j] == data[i])
        i++;
      else
        g_assert (whole->data[j] == '\'' && i < size && quorum_csv_is_formula_start (in[i]));
      j++;
    }
  g_assert (i == size);
  return 0;
}
