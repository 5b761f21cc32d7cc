// SPDX-License-Identifier: MIT
// sharemap: takes back what detail/throwing_forms_begin.hpp defined, at the end of the class that used it.
// No include guard, on purpose (see the begin header).

#undef SHAREMAP_DETAIL_TIMED_THROWING_FORMS
