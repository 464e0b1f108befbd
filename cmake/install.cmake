# SPDX-License-Identifier: MIT
# Copyright (c) 2026 The cnet authors
# What `cmake --install` puts where, in GNUInstallDirs' directories (so that
# a prefix of /usr on Debian gives lib/<multiarch>), in three components,
# which are also the three Debian packages (cmake/package.cmake):
#   lib    the shared library and its SONAME link: what a program needs to run
#   dev    the headers, the static library, the libcnet.so link, cnet.pc and
#          the CMake package (find_package(cnet): cnet::cnet, cnet::cnet_static)
#   tools  the programs of apps/ and their man pages (apps/CMakeLists.txt)
# What is installed finds the rest relative to where it lies, so one build
# installs under any prefix (cmake --install --prefix, make install PREFIX=).
set(CNET_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cnet)

install(TARGETS cnet_shared EXPORT cnetTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        COMPONENT lib NAMELINK_COMPONENT dev)
install(TARGETS cnet_static EXPORT cnetTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT dev)
# The headers, and cnet/version.h that the build writes (not its template).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev
        FILES_MATCHING PATTERN "*.h")
install(FILES ${CNET_GENERATED_INCLUDE_DIR}/cnet/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/cnet COMPONENT dev)

# find_package(cnet [1.2]): any later release of the same major version
# will do (SameMajorVersion), as the SONAME promises.
install(EXPORT cnetTargets NAMESPACE cnet:: DESTINATION ${CNET_CMAKE_DIR}
        COMPONENT dev)
include(CMakePackageConfigHelpers)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/cnetConfig.cmake.in
  ${PROJECT_BINARY_DIR}/cnetConfig.cmake INSTALL_DESTINATION ${CNET_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/cnetConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/cnetConfig.cmake
              ${PROJECT_BINARY_DIR}/cnetConfigVersion.cmake
        DESTINATION ${CNET_CMAKE_DIR} COMPONENT dev)

# cnet.pc finds its prefix from its own directory (${pcfiledir}), as the
# CMake files do. A static link needs what the library itself links:
# `pkg-config --static` adds it from Libs.private.
file(RELATIVE_PATH CNET_PC_TO_PREFIX
     ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" CNET_PC_TO_PREFIX "${CNET_PC_TO_PREFIX}")
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(CNET_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(CNET_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
set(CNET_PC_LIBS_PRIVATE "-pthread -lssl -lcrypto")
if(CNET_BACKEND STREQUAL "uring")
  string(APPEND CNET_PC_LIBS_PRIVATE " -luring")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/cnet.pc.in ${PROJECT_BINARY_DIR}/cnet.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/cnet.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
