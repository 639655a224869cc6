/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

typedef void (*QuorumWeakFunc) (gpointer object,
                                gpointer data);

typedef struct _QuorumWeakCall QuorumWeakCall;

QuorumWeakCall *quorum_weak_call_new          (gpointer        object,
                                               QuorumWeakFunc  func,
                                               gpointer        data,
                                               GDestroyNotify  destroy);
void            quorum_weak_call_run          (QuorumWeakCall *call);
void            quorum_weak_call_free         (QuorumWeakCall *call);
void            quorum_weak_call_closure_free (gpointer        call,
                                               GClosure       *closure);

AdwToast       *quorum_toast_new              (const char     *text);
AdwToast       *quorum_toast_show             (GtkWidget      *widget,
                                               const char     *text,
                                               QuorumWeakCall *retry);
/* How long a toast takes to settle on screen (its show animation is 300 ms
 * in libadwaita 1.2); quorum_toast_withdraw() waits for it. */
#define QUORUM_TOAST_SETTLE_MS 500
void            quorum_toast_withdraw         (AdwToast       *toast);

gboolean        quorum_error_is_offline       (const GError   *error);
gboolean        quorum_error_is_server_problem (const GError  *error);
gboolean        quorum_error_is_plain         (const GError   *error);
char           *quorum_error_compose          (const char     *context,
                                               const GError   *error);
void            quorum_widget_set_error       (GtkWidget      *widget,
                                               gboolean        error);

char           *quorum_format_count           (gint64          count);
char           *quorum_format_last_active     (GDateTime      *last_active,
                                               GDateTime      *now);
char           *quorum_format_date_time       (GDateTime      *when);
char           *quorum_format_money           (gint64          cents,
                                               const char     *currency);
char           *quorum_format_money_plain     (gint64          cents);
char           *quorum_plan_summary           (QuorumPlan     *plan);
char           *quorum_plan_seats_explanation (QuorumPlan         *plan,
                                               QuorumOrganization *organization,
                                               int                 seats_used);
gboolean        quorum_parse_money            (const char     *text,
                                               gint64         *out_cents);
gboolean        quorum_parse_money_with       (const char     *text,
                                               const char     *point,
                                               const char     *sep,
                                               gint64         *out_cents);

char           *quorum_format_relative_time   (GDateTime      *time,
                                               GDateTime      *now);
char           *quorum_format_date            (GDateTime      *time);
char           *quorum_format_exact_time      (GDateTime      *time);

/* A secret copied to the clipboard is cleared after this long if the
 * clipboard still holds it. */
#define QUORUM_SECRET_CLIPBOARD_SECONDS 60
void            quorum_clipboard_set_secret   (GtkWidget      *widget,
                                               const char     *secret);
void            quorum_clipboard_expire_secrets (void);
const char     *quorum_event_type_get_label   (const char     *event);

/* "quorum-startup: STEP MICROSECONDS" on stderr under QUORUM_TRACE_STARTUP. */
void            quorum_trace_startup          (const char     *step);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QuorumWeakCall, quorum_weak_call_free)

G_END_DECLS
