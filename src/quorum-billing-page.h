/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "quorum-api.h"

G_BEGIN_DECLS

#define QUORUM_TYPE_BILLING_PAGE (quorum_billing_page_get_type ())
G_DECLARE_FINAL_TYPE (QuorumBillingPage, quorum_billing_page, QUORUM, BILLING_PAGE, AdwBin)

QuorumClient       *quorum_billing_page_get_client       (QuorumBillingPage  *self);
void                quorum_billing_page_set_client       (QuorumBillingPage  *self,
                                                          QuorumClient       *client);
QuorumOrganization *quorum_billing_page_get_organization (QuorumBillingPage  *self);
void                quorum_billing_page_set_organization (QuorumBillingPage  *self,
                                                          QuorumOrganization *organization);
QuorumRole          quorum_billing_page_get_role         (QuorumBillingPage  *self);
QuorumBilling      *quorum_billing_page_get_billing      (QuorumBillingPage  *self);
void                quorum_billing_page_save_invoice     (QuorumBillingPage  *self,
                                                          QuorumInvoice      *invoice,
                                                          GFile              *file);

G_END_DECLS
