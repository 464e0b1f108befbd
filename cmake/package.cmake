# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# make package: Debian packages of the install components
# (cmake/install.cmake), by CPack's DEB generator (scripts/package.sh):
#   libcnet<SOVERSION>  lib    the shared library; its name follows the
#                              SONAME, as Debian's library policy asks
#   libcnet-dev         dev    headers, static library, cnet.pc, CMake files
#   cnet-tools          tools  the programs, their man pages, cnet-chat's
#                              systemd units
# Each carries its copyright (from LICENSE) and changelog under
# /usr/share/doc/<package>/. Depends come from dpkg-shlibdeps, plus the
# library package of the same version for the other two. The packages
# hold what the build installs under its prefix: scripts/package.sh makes
# a build of its own for /usr.
get_target_property(CNET_SOVERSION cnet_shared SOVERSION)
set(CNET_DEB_LIB libcnet${CNET_SOVERSION})
set(CNET_DEB_MAINTAINER "The cnet authors <cnet@example.org>" CACHE STRING
    "Maintainer of the Debian packages (make package)")
set(deb_docs ${PROJECT_BINARY_DIR}/debian)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cnet)
set(CPACK_PACKAGE_VENDOR "The cnet authors")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${CNET_DEB_MAINTAINER})
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL lib dev)
if(CNET_BUILD_TOOLS)
  list(APPEND CPACK_COMPONENTS_ALL tools)
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The tools need libcnet.so.N, which no installed package provides yet:
# dpkg-shlibdeps finds it in the build tree, and the Depends on its
# package is written here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${CMAKE_LIBRARY_OUTPUT_DIRECTORY})
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")

set(CPACK_DEBIAN_LIB_PACKAGE_NAME ${CNET_DEB_LIB})
set(CPACK_DEBIAN_LIB_PACKAGE_SECTION libs)
# dpkg runs ldconfig once for all the libraries it installed through this
# trigger (Debian policy 8.1.1). CPack adds postinst and postrm scripts
# that call ldconfig too (lintian: maintscript-calls-ldconfig, a
# warning); it has no switch to leave them out.
file(WRITE ${deb_docs}/triggers "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_LIB_PACKAGE_CONTROL_EXTRA ${deb_docs}/triggers)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_LIB_DESCRIPTION "Node.js's net and dgram in C - shared library
cnet gives C programs Node.js's net and dgram modules: servers and sockets
over TCP and Unix domain sockets, streams with backpressure and UDP, with
Node's events, options, defaults and error codes, on an event loop of its
own.

This package contains the shared library.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libcnet-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The static library and cnetConfig.cmake need OpenSSL (cnet.pc: -lssl).
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS "${CNET_DEB_LIB} (= ${PROJECT_VERSION}), libssl-dev")
if(CNET_BACKEND STREQUAL "uring")
  # The static library and cnetConfig.cmake need liburing (cnet.pc: -luring).
  string(APPEND CPACK_DEBIAN_DEV_PACKAGE_DEPENDS ", liburing-dev")
endif()
set(CPACK_DEBIAN_DEV_DESCRIPTION "Node.js's net and dgram in C - development files
cnet gives C programs Node.js's net and dgram modules: servers and sockets
over TCP and Unix domain sockets, streams with backpressure and UDP, with
Node's events, options, defaults and error codes, on an event loop of its
own.

This package contains the headers, the static library, the pkg-config file
and the CMake package (find_package(cnet): cnet::cnet, cnet::cnet_static).")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME cnet-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION net)
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "${CNET_DEB_LIB} (>= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_TOOLS_DESCRIPTION "chat, echo, logger and netcat-like tools on cnet
Programs written on cnet, Node.js's net and dgram in C:
 cnet-chat    a chat room for telnet and nc clients, built to hold a
              hostile room (bounded queues, rates and connections);
 cnet-echo    a TCP and UDP echo server;
 cnet-logger  a server that writes what its clients send to files;
 cnet-cat     a netcat: TCP, UDP and Unix sockets to stdin and stdout.
Each has a manual page; cnet-chat comes with systemd units when built from
a source tree that has them.")

# Debian's copyright file, in its machine-readable format, from LICENSE.
file(READ ${PROJECT_SOURCE_DIR}/LICENSE license)
string(REGEX MATCH "Copyright \\(c\\) ([^\n]*)" _ "${license}")
set(holders ${CMAKE_MATCH_1})
string(REGEX REPLACE "^.*\nCopyright[^\n]*\n\n" "" terms "${license}")
string(STRIP "${terms}" terms)
string(REPLACE "\n\n" "\n.\n" terms "${terms}")
string(REPLACE "\n" "\n " terms "${terms}")
file(WRITE ${deb_docs}/copyright
"Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: cnet

Files: *
Copyright: ${holders}
License: MIT
 ${terms}
")
# The changelog of a package made from upstream's source by upstream: one
# entry, for this version (CHANGELOG.md in the source says what changed).
string(TIMESTAMP date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${deb_docs}/changelog
"cnet (${PROJECT_VERSION}) unstable; urgency=medium

  * cnet ${PROJECT_VERSION}.

 -- ${CNET_DEB_MAINTAINER}  ${date}
")
add_custom_command(OUTPUT ${deb_docs}/changelog.gz
  COMMAND gzip -9nc ${deb_docs}/changelog > ${deb_docs}/changelog.gz
  DEPENDS ${deb_docs}/changelog VERBATIM)
add_custom_target(cnet_deb_changelog ALL DEPENDS ${deb_docs}/changelog.gz)
# Installed only by CPack, which installs each component by name
# (EXCLUDE_FROM_ALL keeps them out of make install).
foreach(component ${CPACK_COMPONENTS_ALL})
  string(TOUPPER ${component} c)
  install(FILES ${deb_docs}/copyright ${deb_docs}/changelog.gz
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${CPACK_DEBIAN_${c}_PACKAGE_NAME}
          COMPONENT ${component} EXCLUDE_FROM_ALL)
endforeach()

include(CPack)
