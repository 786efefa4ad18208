#pragma once

#include "config/Config.h"
#include "llm/LlmClient.h"
#include "targets/Target.h"

namespace codeworm {

// Built-in prompts per doc type (the types with a finder), and the original's prompts.yaml
// keys: system_prompt and documentation_template replace function_doc's prompts, style and
// language_hints apply to every type. Templates use {language} {source} {name} {file_path}
// {repo} {complexity} {line_count}, and {class_context} {metrics} {findings} {kind}
// {nesting}; code_evolution adds {commit} {commit_message} {author} {date} {changes}
// {touched}, its {source} being the diff; module_doc adds {module_kind} {file_count}
// {functions} {types}, its {source} being the outline of the module's files. The source in the
// prompt has secrets redacted by the caller.
class PromptLibrary
{
public:
    // The source in a prompt is cut after `maxSourceLines` lines, and earlier when the prompt
    // would not fit `contextTokens` (num_ctx; 0: no limit) with room for `answerTokens`.
    explicit PromptLibrary(PromptsConfig prompts, int maxSourceLines = 150, int contextTokens = 0,
                           int answerTokens = 0);

    // How many of the source's lines fit the prompt: at most maxSourceLines, and no more than
    // the context leaves (a token counted as three characters, which overestimates code).
    int sourceLinesThatFit(const QString &source) const;

    GenerationRequest documentationRequest(const Target &target) const;
    // The second, short generation: a commit subject for the document (temperature 0.4).
    // prompts.yaml's commit_message_template replaces the built-in prompt; it may use
    // {documentation} besides the usual placeholders.
    GenerationRequest commitSubjectRequest(const Target &target,
                                           const QString &documentation) const;

    static QString defaultSystemPrompt(const QString &docType);
    static QString defaultTemplate(const QString &docType);
    static QString defaultLanguageHint(const QString &language);
    // Replaces {key} placeholders; unknown placeholders stay as they are.
    static QString fill(const QString &templ, const QMap<QString, QString> &values);

private:
    PromptsConfig m_prompts;
    int m_maxSourceLines;
    int m_contextTokens;
    int m_answerTokens;
};

} // namespace codeworm
