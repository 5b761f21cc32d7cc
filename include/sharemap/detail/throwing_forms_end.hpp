// SPDX-License-Identifier: MIT
// sharemap: takes back what detail/throwing_forms_begin.hpp defined, at the end of the class that used it.
// No include guard, on purpose (see the begin header).

// Doxygen (docs/Doxyfile.in defines SHAREMAP_DOXYGEN) reads each included header once and serves it from a cache
// afterwards, so an #undef there could outlive the next header's begin include and leave that class's pair out of
// the API reference. The macros stay defined for Doxygen alone.
#ifndef SHAREMAP_DOXYGEN
#undef SHAREMAP_DETAIL_OR_THROW
#undef SHAREMAP_DETAIL_OR_THROW_AS
#undef SHAREMAP_DETAIL_TIMED_THROWING_FORMS
#endif
