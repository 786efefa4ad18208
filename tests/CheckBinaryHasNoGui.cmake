# Fails when BINARY needs a Qt GUI library (directly or through another library).
file(GET_RUNTIME_DEPENDENCIES EXECUTABLES "${BINARY}"
     RESOLVED_DEPENDENCIES_VAR resolved UNRESOLVED_DEPENDENCIES_VAR unresolved)
set(gui "")
foreach(library IN LISTS resolved unresolved)
    if(library MATCHES "libQt6(Gui|Widgets|Svg|SvgWidgets|OpenGL)\\.so")
        list(APPEND gui "${library}")
    endif()
endforeach()
if(gui)
    message(FATAL_ERROR "${BINARY} needs Qt GUI libraries: ${gui}")
endif()
list(LENGTH resolved count)
message(STATUS "${BINARY}: ${count} libraries, none of Qt's GUI modules")
