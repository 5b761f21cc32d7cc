// SPDX-License-Identifier: MIT
// sharemap: the umbrella header. Includes every public header and nothing else.
#ifndef SHAREMAP_SHAREMAP_HPP_INCLUDED
#define SHAREMAP_SHAREMAP_HPP_INCLUDED

#include "sharemap/access.hpp"
#include "sharemap/channel_options.hpp"
#include "sharemap/create_options.hpp"
#include "sharemap/errc.hpp"
#include "sharemap/file.hpp"
#include "sharemap/file_mapping.hpp"
#include "sharemap/file_options.hpp"
#include "sharemap/is_shareable.hpp"
#include "sharemap/lock_status.hpp"
#include "sharemap/map_file.hpp"
#include "sharemap/mapped_view.hpp"
#include "sharemap/name_view.hpp"
#include "sharemap/named_event.hpp"
#include "sharemap/named_mutex.hpp"
#include "sharemap/named_semaphore.hpp"
#include "sharemap/process.hpp"
#include "sharemap/process_argument.hpp"
#include "sharemap/process_options.hpp"
#include "sharemap/receiver.hpp"
#include "sharemap/section_event.hpp"
#include "sharemap/section_mutex.hpp"
#include "sharemap/sender.hpp"
#include "sharemap/shared_object.hpp"
#include "sharemap/system_info.hpp"
#include "sharemap/version.hpp"
#include "sharemap/wait.hpp"

#endif // SHAREMAP_SHAREMAP_HPP_INCLUDED
