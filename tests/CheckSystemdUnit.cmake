# Runs `systemd-analyze verify --user` on UNIT. systemd exits 0 on unknown keys and other
# warnings, so any message fails the check too. The man page is not looked up (--man=no):
# it is not installed at test time. A user manager needs a runtime folder of its own.
get_filename_component(unit_dir "${UNIT}" DIRECTORY)
set(runtime_dir "${unit_dir}/runtime")
file(REMOVE_RECURSE "${runtime_dir}")
file(MAKE_DIRECTORY "${runtime_dir}")
file(CHMOD "${runtime_dir}" DIRECTORY_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
execute_process(
    COMMAND ${CMAKE_COMMAND} -E env XDG_RUNTIME_DIR=${runtime_dir}
            ${SYSTEMD_ANALYZE} verify --user --man=no ${UNIT}
    RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)
file(REMOVE_RECURSE "${runtime_dir}")
if(NOT result EQUAL 0 OR NOT output STREQUAL "")
    message(FATAL_ERROR "systemd-analyze verify ${UNIT} (exit ${result}):\n${output}")
endif()
message(STATUS "systemd-analyze verify: ${UNIT} is fine")
