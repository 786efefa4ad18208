#include "llm/LlmClient.h"

namespace codeworm {

void LlmReply::finishWith(Error error, const QString &message)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_error = error;
    m_errorString = message;
    emit finished();
}

void LlmReply::finishWith(const GenerationResult &result)
{
    if (m_finished) {
        return;
    }
    m_finished = true;
    m_result = result;
    m_error = Error::None;
    m_errorString.clear();
    emit finished();
}

} // namespace codeworm
