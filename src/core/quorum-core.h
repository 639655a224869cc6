/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "quorum-role.h"
#include "quorum-scope.h"
#include "quorum-validate.h"
#include "quorum-json-guard.h"
#include "quorum-link.h"
#include "quorum-csv.h"
