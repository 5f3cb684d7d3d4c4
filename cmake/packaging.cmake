# Installing (cmake --install) and the Debian package (cpack): the runner, the
# simulators, the example scenarios and VM templates under /usr/share/2501-runner
# (the folders the runner already searches), a man page made from --help by help2man,
# and bash and zsh completion.
include(GNUInstallDirs)
install(TARGETS 2501-runner 2501-engine-sim 2501-servicenow-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples/scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/2501-runner/scenarios)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/examples/vm-templates/ DESTINATION ${CMAKE_INSTALL_DATADIR}/2501-runner/vm-templates)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/2501-runner.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME 2501-runner)
install(FILES ${CMAKE_SOURCE_DIR}/packaging/_2501-runner DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

# The man page is the program's own --help, every command's included, made by
# help2man, so it cannot drift. Without help2man (a developer's machine) there is no
# man page; scripts/packages.txt installs it everywhere the project's scripts run.
find_program(HELP2MAN help2man)
if(HELP2MAN)
  set(RUNNER_MAN ${CMAKE_BINARY_DIR}/man/2501-runner.1)
  add_custom_command(OUTPUT ${RUNNER_MAN}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    # The binary runs at build time: no colour, and no leak report from a sanitizer build.
    COMMAND ${CMAKE_COMMAND} -E env NO_COLOR=1 ASAN_OPTIONS=detect_leaks=0
            bash ${CMAKE_SOURCE_DIR}/packaging/man-commands.sh $<TARGET_FILE:2501-runner>
            ${CMAKE_SOURCE_DIR}/packaging/2501-runner.h2m ${CMAKE_BINARY_DIR}/man/commands.h2m
    COMMAND ${CMAKE_COMMAND} -E env NO_COLOR=1 ASAN_OPTIONS=detect_leaks=0 ${HELP2MAN} --no-info --no-discard-stderr
            --name "benchmark runner for autonomous IT-operations agents"
            --include ${CMAKE_BINARY_DIR}/man/commands.h2m
            --output ${RUNNER_MAN} $<TARGET_FILE:2501-runner>
    DEPENDS 2501-runner ${CMAKE_SOURCE_DIR}/packaging/2501-runner.h2m ${CMAKE_SOURCE_DIR}/packaging/man-commands.sh
    COMMENT "Man page from 2501-runner --help (help2man)")
  add_custom_target(man_page ALL DEPENDS ${RUNNER_MAN})
  install(FILES ${RUNNER_MAN} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man page (scripts/install-deps installs it)")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME 2501-runner)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Benchmark runner for autonomous IT-operations agents")
set(CPACK_PACKAGE_CONTACT "2501-runner maintainers <runner@2501.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
# Shared libraries found by dpkg-shlibdeps; what the runner starts is named here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "ansible-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql, bash-completion")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "incus")
include(CPack)
