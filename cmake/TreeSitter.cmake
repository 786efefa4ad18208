# Compiles the tree-sitter runtime and the grammars fetched by scripts/setup (pinned npm
# packages that ship their generated C sources) into one static library.
set(_ts "${CODEWORM_TREE_SITTER_DIR}")
if(NOT EXISTS "${_ts}/tree-sitter/vendor/tree-sitter/lib/src/lib.c")
    message(FATAL_ERROR
        "tree-sitter sources not found in ${_ts}.\n"
        "Run scripts/setup (it runs 'npm ci --ignore-scripts' in third_party/tree-sitter).")
endif()

# name;folder-with-src;C symbol
set(CODEWORM_GRAMMARS
    "python|tree-sitter-python|tree_sitter_python"
    "cpp|tree-sitter-cpp|tree_sitter_cpp"
    "c|tree-sitter-c|tree_sitter_c"
    "javascript|tree-sitter-javascript|tree_sitter_javascript"
    "typescript|tree-sitter-typescript/typescript|tree_sitter_typescript"
    "tsx|tree-sitter-typescript/tsx|tree_sitter_tsx"
    "go|tree-sitter-go|tree_sitter_go"
    "rust|tree-sitter-rust|tree_sitter_rust"
    "java|tree-sitter-java|tree_sitter_java")

set(_sources "${_ts}/tree-sitter/vendor/tree-sitter/lib/src/lib.c")
foreach(_grammar IN LISTS CODEWORM_GRAMMARS)
    string(REPLACE "|" ";" _parts "${_grammar}")
    list(GET _parts 1 _dir)
    set(_grammar_sources "${_ts}/${_dir}/src/parser.c")
    if(EXISTS "${_ts}/${_dir}/src/scanner.c")
        list(APPEND _grammar_sources "${_ts}/${_dir}/src/scanner.c")
    endif()
    # Scanners shared between grammars (typescript/tsx) include tree_sitter/parser.h from
    # a folder outside their own src/.
    set_source_files_properties(${_grammar_sources} PROPERTIES INCLUDE_DIRECTORIES "${_ts}/${_dir}/src")
    list(APPEND _sources ${_grammar_sources})
endforeach()

add_library(codeworm_treesitter STATIC ${_sources})
target_include_directories(codeworm_treesitter SYSTEM PUBLIC "${_ts}/tree-sitter/vendor/tree-sitter/lib/include")
target_include_directories(codeworm_treesitter PRIVATE "${_ts}/tree-sitter/vendor/tree-sitter/lib/src")
set_target_properties(codeworm_treesitter PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)
# Generated parsers are huge; optimise them even in debug builds so tests stay fast, and keep
# their warnings out of our logs; without debug info ccache shares them across build dirs.
target_compile_options(codeworm_treesitter PRIVATE -O2 -g0 -w)
target_compile_definitions(codeworm_treesitter PRIVATE _POSIX_C_SOURCE=200112L _DEFAULT_SOURCE)
