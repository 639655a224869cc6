/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "quorum-change-plan-dialog.h"
#include "quorum-utils-private.h"

/*
 * "Change Plan": the plans of GET /v1/plans as one group of check buttons,
 * each with its price, seats and included credits, the current plan
 * checked. A plan with fewer seats than the organization uses says why
 * before it is chosen (tooltip and accessible description). The dialog
 * only asks: on Change Plan it emits ::plan-chosen with the plan checked,
 * and the page sends it and explains a refusal.
 */

struct _QuorumChangePlanDialog
{
  AdwMessageDialog  parent_instance;

  GPtrArray        *plans;   /* of QuorumPlan, in the order of checks */
  GPtrArray        *checks;  /* of GtkCheckButton, owned by plans_box */

  GtkBox           *plans_box;
};

G_DEFINE_FINAL_TYPE (QuorumChangePlanDialog, quorum_change_plan_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum {
  SIGNAL_PLAN_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
quorum_change_plan_dialog_response (AdwMessageDialog *dialog,
                                    const char       *response)
{
  QuorumChangePlanDialog *self = QUORUM_CHANGE_PLAN_DIALOG (dialog);

  if (g_strcmp0 (response, "change") != 0)
    return;

  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      {
        g_signal_emit (self, signals[SIGNAL_PLAN_CHOSEN], 0, g_ptr_array_index (self->plans, i));
        return;
      }
}

static void
quorum_change_plan_dialog_dispose (GObject *object)
{
  QuorumChangePlanDialog *self = QUORUM_CHANGE_PLAN_DIALOG (object);

  g_clear_pointer (&self->checks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), QUORUM_TYPE_CHANGE_PLAN_DIALOG);

  G_OBJECT_CLASS (quorum_change_plan_dialog_parent_class)->dispose (object);
}

static void
quorum_change_plan_dialog_finalize (GObject *object)
{
  QuorumChangePlanDialog *self = QUORUM_CHANGE_PLAN_DIALOG (object);

  g_clear_pointer (&self->plans, g_ptr_array_unref);

  G_OBJECT_CLASS (quorum_change_plan_dialog_parent_class)->finalize (object);
}

static void
quorum_change_plan_dialog_class_init (QuorumChangePlanDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = quorum_change_plan_dialog_dispose;
  object_class->finalize = quorum_change_plan_dialog_finalize;
  dialog_class->response = quorum_change_plan_dialog_response;

  /**
   * QuorumChangePlanDialog::plan-chosen:
   * @plan: the plan checked when Change Plan was chosen (may be the
   *   current one)
   */
  signals[SIGNAL_PLAN_CHOSEN] =
    g_signal_new ("plan-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, QUORUM_TYPE_PLAN);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/quorum-change-plan-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, QuorumChangePlanDialog, plans_box);
}

static void
quorum_change_plan_dialog_init (QuorumChangePlanDialog *self)
{
  self->checks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * quorum_change_plan_dialog_new:
 * @parent: (nullable): the window it is modal to
 * @plans: (element-type QuorumPlan): the plans to choose from
 * @billing: the organization's billing state: its plan is checked, and its
 *   seats in use tell which plans are too small
 * @organization: the organization, named in why a plan is too small
 *
 * Returns: (transfer none): the dialog, not yet presented
 */
GtkWidget *
quorum_change_plan_dialog_new (GtkWindow          *parent,
                               GPtrArray          *plans,
                               QuorumBilling      *billing,
                               QuorumOrganization *organization)
{
  QuorumChangePlanDialog *self;
  GtkCheckButton *group = NULL;
  const char *current_id;
  int used;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (plans != NULL, NULL);
  g_return_val_if_fail (QUORUM_IS_BILLING (billing), NULL);
  g_return_val_if_fail (QUORUM_IS_ORGANIZATION (organization), NULL);

  self = g_object_new (QUORUM_TYPE_CHANGE_PLAN_DIALOG, "transient-for", parent, NULL);
  self->plans = g_ptr_array_ref (plans);
  current_id = quorum_plan_get_id (quorum_billing_get_plan (billing));
  used = quorum_billing_get_seats_used (billing);

  for (guint i = 0; i < plans->len; i++)
    {
      QuorumPlan *plan = g_ptr_array_index (plans, i);
      g_autofree char *summary = quorum_plan_summary (plan);
      g_autofree char *label = g_strdup_printf ("%s — %s", quorum_plan_get_name (plan), summary);
      GtkWidget *check = gtk_check_button_new_with_label (label);
      int limit = quorum_plan_get_seat_limit (plan);

      if (group != NULL)
        gtk_check_button_set_group (GTK_CHECK_BUTTON (check), group);
      else
        group = GTK_CHECK_BUTTON (check);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_strcmp0 (quorum_plan_get_id (plan), current_id) == 0);
      if (limit > 0 && used > limit)
        {
          g_autofree char *why = quorum_plan_seats_explanation (plan, organization, used);

          gtk_widget_set_tooltip_text (check, why);
          gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, why, -1);
        }
      gtk_box_append (self->plans_box, check);
      g_ptr_array_add (self->checks, check);
    }
  return GTK_WIDGET (self);
}
