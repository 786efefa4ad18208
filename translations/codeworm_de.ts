<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>LlmFactory</name>
    <message>
        <location filename="../core/llm/LlmFactory.cpp" line="+59"/>
        <source>set llm.allow_remote: true to allow it, or use a server on this machine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+46"/>
        <source>%1 (%2) is not on this machine: CodeWorm would send your source code there. Set llm.allow_remote: true to allow that, or use a server on this machine (localhost)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 is plain HTTP to another machine: source code and answers cross the network unencrypted; prefer https</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+19"/>
        <source>%1 (refused: not on this machine)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../core/daemon/Daemon.cpp" line="+31"/>
        <source>Idle</source>
        <translation>Leerlauf</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Working</source>
        <translation>Arbeitet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waiting for the LLM</source>
        <translation>Wartet auf das LLM</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
</context>
<context>
    <name>StatusText</name>
    <message>
        <location filename="../ui/StatusText.cpp" line="+22"/>
        <source>CodeWorm: %1</source>
        <translation>CodeWorm: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Today: %1 of %2 commits</source>
        <translation>Heute: %1 von %2 Commits</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Next run: paused</source>
        <translation>Nächster Lauf: pausiert</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Next run: none planned</source>
        <translation>Nächster Lauf: keiner geplant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next run: %1</source>
        <translation>Nächster Lauf: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Last commit: none yet</source>
        <translation>Letzter Commit: noch keiner</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last commit: %1 at %2</source>
        <translation>Letzter Commit: %1 um %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Writing about %1, %2 tokens/s</source>
        <translation>Schreibt über %1, %2 Token/s</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Writing about %1</source>
        <translation>Schreibt über %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Waiting: %1</source>
        <translation>Wartet: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alert: %1</source>
        <translation>Warnung: %1</translation>
    </message>
</context>
<context>
    <name>codeworm::CommitChart</name>
    <message>
        <location filename="../ui/CommitChart.cpp" line="+25"/>
        <source>Commits per day</source>
        <translation>Commits pro Tag</translation>
    </message>
    <message numerus="yes">
        <location line="+27"/>
        <source>%1: %n commit(s)</source>
        <translation>
            <numerusform>%1: %n Commit</numerusform>
            <numerusform>%1: %n Commits</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>d MMM</source>
        <comment>date format of the chart&apos;s day labels</comment>
        <translation>d. MMM</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>No commits in these days</source>
        <translation>Keine Commits an diesen Tagen</translation>
    </message>
</context>
<context>
    <name>codeworm::DBusNotifier</name>
    <message>
        <location filename="../core/notify/DBusNotifier.cpp" line="+68"/>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
</context>
<context>
    <name>codeworm::Daemon</name>
    <message>
        <location filename="../core/daemon/Daemon.cpp" line="+37"/>
        <source>the planned run waits: %1</source>
        <translation>der geplante Lauf wartet: %1</translation>
    </message>
    <message>
        <location line="+199"/>
        <source>pulling %1: %2 (%3%)</source>
        <translation>%1 wird geladen: %2 (%3 %)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pulling %1: %2</source>
        <translation>%1 wird geladen: %2</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>the last %1 cycles failed: the next waits until %2</source>
        <translation>die letzten %1 Zyklen sind fehlgeschlagen: der nächste wartet bis %2</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>nothing waits to be pushed to %1</source>
        <translation>nichts wartet auf den Push nach %1</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>%n commit(s) wait: %1; next try at %2</source>
        <translation>
            <numerusform>%n Commit wartet: %1; nächster Versuch um %2</numerusform>
            <numerusform>%n Commits warten: %1; nächster Versuch um %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n commit(s) wait: %1</source>
        <translation>
            <numerusform>%n Commit wartet: %1</numerusform>
            <numerusform>%n Commits warten: %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+46"/>
        <source>the planned run waits</source>
        <translation>der geplante Lauf wartet</translation>
    </message>
</context>
<context>
    <name>codeworm::DeadmanSwitch</name>
    <message>
        <location filename="../core/schedule/DeadmanSwitch.cpp" line="+122"/>
        <source>no document since %1: the run planned at %2 is %3 minutes overdue</source>
        <translation>kein Dokument seit %1: der für %2 geplante Lauf ist %3 Minuten überfällig</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>no document yet: the run planned at %1 is %2 minutes overdue</source>
        <translation>noch kein Dokument: der für %1 geplante Lauf ist %2 Minuten überfällig</translation>
    </message>
</context>
<context>
    <name>codeworm::DirectHttpReply</name>
    <message>
        <location filename="../core/llm/DirectHttpReply.cpp" line="+205"/>
        <source>Host %1 not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Connection refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+93"/>
        <location line="+25"/>
        <source>Connection closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Connection closed before the answer was complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>the answer&apos;s HTTP header is too long</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>not an HTTP answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>invalid Content-Length in the answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+61"/>
        <source>broken chunked encoding in the answer: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+22"/>
        <source>a line of more than 4096 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>a chunk size that is not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>a chunk longer than its size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Error transferring %1 - server replied: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Operation canceled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>codeworm::FailoverClient</name>
    <message>
        <location filename="../core/llm/FailoverClient.cpp" line="+33"/>
        <source>%1 (fails over to %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>codeworm::FailoverReply</name>
    <message>
        <location line="+81"/>
        <source>the request was cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>no endpoint is usable: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>codeworm::LaptopManners</name>
    <message>
        <location filename="../core/daemon/LaptopManners.cpp" line="+110"/>
        <source>quiet hours %1-%2</source>
        <translation>Ruhezeit %1–%2</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>on battery power</source>
        <translation>im Akkubetrieb</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>the session has been idle for %1 of %2 minute</source>
        <translation>die Sitzung ist erst %1 von %2 Minute inaktiv</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the session has been idle for %1 of %2 minutes</source>
        <translation>die Sitzung ist erst %1 von %2 Minuten inaktiv</translation>
    </message>
</context>
<context>
    <name>codeworm::ModelListReply</name>
    <message>
        <location filename="../core/llm/ModelList.cpp" line="+42"/>
        <source>%1 is not an http(s) URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+18"/>
        <source>%1 did not answer in time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>%1: %2</source>
        <translation type="unfinished">%1; %2 {1:?}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 answered with something that is not a JSON object</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>codeworm::NotificationCenter</name>
    <message numerus="yes">
        <location filename="../core/notify/NotificationCenter.cpp" line="+85"/>
        <source>CodeWorm: %n cycle(s) failed in a row</source>
        <translation>
            <numerusform>CodeWorm: %n Zyklus in Folge fehlgeschlagen</numerusform>
            <numerusform>CodeWorm: %n Zyklen in Folge fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last failure: %1</source>
        <translation>Letzter Fehlschlag: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 in %2
commit %3</source>
        <translation>%1 in %2
Commit %3</translation>
    </message>
    <message numerus="yes">
        <location line="+35"/>
        <source>CodeWorm: the LLM has been unavailable for %n minute(s)</source>
        <translation>
            <numerusform>CodeWorm: Das LLM ist seit %n Minute nicht erreichbar</numerusform>
            <numerusform>CodeWorm: Das LLM ist seit %n Minuten nicht erreichbar</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Documents wait until it answers again.</source>
        <translation>Dokumente warten, bis es wieder antwortet.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1
Documents wait until it answers again.</source>
        <translation>%1
Dokumente warten, bis es wieder antwortet.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>CodeWorm: pushing the DevLog fails</source>
        <translation>CodeWorm: Der Push des DevLogs schlägt fehl</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>CodeWorm has not documented anything</source>
        <translation>CodeWorm hat nichts dokumentiert</translation>
    </message>
</context>
<context>
    <name>codeworm::OllamaClient</name>
    <message>
        <location filename="../core/llm/OllamaClient.cpp" line="+23"/>
        <source>Ollama at %1, model %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Start Ollama (`ollama serve`, or `systemctl start ollama`) and pull the model with `ollama pull %1`; CodeWorm looks for it at %2 (config: ollama.host/ollama.port)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+43"/>
        <source>using num_ctx %1 instead of %2 for %3 from now on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Ollama %1 at %2 has model %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>codeworm::OllamaReply</name>
    <message>
        <location filename="../core/llm/OllamaReply.cpp" line="+101"/>
        <source>the request to Ollama at %1 was cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+157"/>
        <source>Ollama at %1 sent an answer that is not a JSON object (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Ollama at %1: the download of %2 ended before it was complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ollama at %1: the stream ended before the answer was complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>pulled model %1 into Ollama at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+20"/>
        <source>the server at %1 answers, but not as Ollama does (GET /api/version: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ollama %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Ollama at %1 sent a model list that is not JSON (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+21"/>
        <source>model %1 is not in Ollama at %2; pulling it (ollama.auto_pull)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>it has no models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>it has %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>model %1 is not installed in Ollama at %2 (%3); install it with `ollama pull %1`, or set ollama.auto_pull: true</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>cannot connect to Ollama at %1 within %2 s (ollama.timeouts.connect_s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ollama at %1 did not answer %2 within %3 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ollama at %1 sent no answer within %2 s of the request (ollama.timeouts.first_token_s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Ollama at %1 sent nothing for %2 s in the middle of the answer (ollama.timeouts.idle_s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Ollama at %1 did not finish the answer within %2 s (ollama.timeouts.total_s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <location line="+196"/>
        <source> (after %n tries)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location line="-178"/>
        <source>Ollama at %1 sent a line that is not a JSON object (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+84"/>
        <source>%1: %2 prompt tokens, %3 tokens in %4 s (%5 tokens/s), loading %6 s, %7 s in all, done: %8</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+52"/>
        <source>pulling %1: %2 %3% (%4 of %5 MB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>pulling %1: %2</source>
        <translation type="unfinished">%1 wird geladen: %2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>unloading %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1; unloading %2 and trying again with num_ctx at most %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1; trying again in %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Ollama at %1 answered %2 with HTTP %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ollama at %1 answered %2 with HTTP %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+71"/>
        <source>Ollama at %1 cannot pull model %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-65"/>
        <source>model %1 is not available from Ollama at %2 (%3); install it with `ollama pull %1`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>cannot reach Ollama at %1: %2 (is it running?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+7"/>
        <source>cannot reach Ollama at %1: %2 (check ollama.host)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+9"/>
        <location line="+14"/>
        <location line="+4"/>
        <source>cannot reach Ollama at %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Ollama at %1 closed the connection in the middle of the answer (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Ollama at %1 sent a broken answer (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Ollama at %1 failed while answering: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>codeworm::OpenAiClient</name>
    <message>
        <location filename="../core/llm/OpenAiClient.cpp" line="+24"/>
        <source>OpenAI-compatible server at %1, model %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Start the OpenAI-compatible server (llama.cpp&apos;s llama-server, LM Studio, vLLM or Ollama) at %1 with the model %2 (config: llm.endpoints, llm.model)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, and set the environment variable %1 to its API key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+76"/>
        <source>the OpenAI-compatible server at %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>codeworm::OpenAiReply</name>
    <message>
        <location filename="../core/llm/OpenAiReply.cpp" line="+79"/>
        <source>%1 sent an event that is not a JSON object (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 failed while answering: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+49"/>
        <source>%1 sent an answer that is not a JSON object (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1: the stream ended before the answer was complete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 answered /v1/models with something that is not a JSON object (%2): %3; is it an OpenAI-compatible server?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1 serves %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>it serves none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>it serves %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+35"/>
        <source>model %1 is not available from %2 (%3); load it there or set llm.model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="-16"/>
        <source>HTTP %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+0"/>
        <source>HTTP %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 refused the request (%2)%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 has no /v1/models (%2); is it an OpenAI-compatible server?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 answered %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+27"/>
        <source>%1 did not answer within %2 s (llm.timeouts.connect_s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+10"/>
        <source>; if it needs an API key, put the key in an environment variable and name that variable in llm.api_key_env</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>; the environment variable %1 (llm.api_key_env) is not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+2"/>
        <source>; check the API key in the environment variable %1 (llm.api_key_env)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>codeworm::SettingsDialog</name>
    <message>
        <location filename="../ui/SettingsDialog.cpp" line="+102"/>
        <source>CodeWorm Settings</source>
        <translation>CodeWorm-Einstellungen</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Repositories</source>
        <translation>Repositorys</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language model</source>
        <translation>Sprachmodell</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Schedule</source>
        <translation>Zeitplan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DevLog</source>
        <translation>DevLog</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Laptop</source>
        <translation>Laptop</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start at login</source>
        <translation>Beim Anmelden starten</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The configuration cannot be read, so it cannot be saved here; fix it in the file first:
%1</source>
        <translation>Die Konfiguration kann nicht gelesen und deshalb hier nicht gespeichert werden; korrigieren Sie zuerst die Datei:
%1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Add the repositories CodeWorm should document.</source>
        <translation>Fügen Sie die Repositorys hinzu, die CodeWorm dokumentieren soll.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Enabled</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Publish source</source>
        <translation>Quelltext veröffentlichen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How often this repository is picked, 1 to 10</source>
        <translation>Wie oft dieses Repository gewählt wird, 1 bis 10</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Off: the DevLog gets the documentation without the source code</source>
        <translation>Aus: Das DevLog erhält die Dokumentation ohne den Quelltext</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add…</source>
        <translation>Hinzufügen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A git repository is read at its last commit; uncommitted changes are never documented.</source>
        <translation>Ein Git-Repository wird beim letzten Commit gelesen; nicht committete Änderungen werden nie dokumentiert.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenAI-compatible server (llama.cpp, LM Studio, vLLM)</source>
        <translation>OpenAI-kompatibler Server (llama.cpp, LM Studio, vLLM)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ask the server which models it has</source>
        <translation>Den Server fragen, welche Modelle er hat</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Allow a server on another machine</source>
        <translation>Server auf einem anderen Rechner erlauben</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Server type:</source>
        <translation>Servertyp:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Endpoint:</source>
        <translation>Endpunkt:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Write documentation on a schedule</source>
        <translation>Dokumentation nach Zeitplan schreiben</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>System time zone</source>
        <translation>Zeitzone des Systems</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>for example 9, 10, 14-16</source>
        <translation>zum Beispiel 9, 10, 14-16</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>for example 0-7, 12</source>
        <translation>zum Beispiel 0-7, 12</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+57"/>
        <location line="+14"/>
        <location line="+22"/>
        <source> min</source>
        <translation> Min.</translation>
    </message>
    <message>
        <location line="-89"/>
        <source>Fewest documents a day:</source>
        <translation>Dokumente pro Tag, mindestens:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Most documents a day:</source>
        <translation>Dokumente pro Tag, höchstens:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time zone:</source>
        <translation>Zeitzone:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preferred hours:</source>
        <translation>Bevorzugte Stunden:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hours to avoid:</source>
        <translation>Zu meidende Stunden:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share on weekends:</source>
        <translation>Anteil am Wochenende:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Least time between two:</source>
        <translation>Mindestabstand zwischen zwei:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose…</source>
        <translation>Auswählen…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>DevLog folder</source>
        <translation>DevLog-Ordner</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>origin, a URL or a path; empty: no push</source>
        <translation>origin, eine URL oder ein Pfad; leer: kein Push</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The git repository CodeWorm commits the documentation to, and where it pushes it.</source>
        <translation>Das Git-Repository, in das CodeWorm die Dokumentation committet, und wohin es sie pusht.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder:</source>
        <translation>Ordner:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remote:</source>
        <translation>Remote:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch:</source>
        <translation>Branch:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Each committed document</source>
        <translation>Jedes committete Dokument</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+4"/>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The DevLog cannot be pushed</source>
        <translation>Das DevLog kann nicht gepusht werden</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No document although one was due (dead-man&apos;s switch)</source>
        <translation>Kein Dokument, obwohl eines fällig war (Totmannschalter)</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+22"/>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Tell me when:</source>
        <translation>Benachrichtigen bei:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The language model is unreachable for:</source>
        <translation>Sprachmodell nicht erreichbar seit:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cycles failed in a row:</source>
        <translation>Fehlgeschlagene Zyklen in Folge:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A planned run is overdue by:</source>
        <translation>Geplanter Lauf überfällig um:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Wait while on battery</source>
        <translation>Im Akkubetrieb warten</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Quiet hours: no runs from</source>
        <translation>Ruhezeit: keine Läufe von</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only after the desktop is idle for:</source>
        <translation>Erst nach Inaktivität des Desktops von:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A run due at a time like these waits until it passes.</source>
        <translation>Ein Lauf, der in eine solche Zeit fällt, wartet, bis sie vorüber ist.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Start CodeWorm when I log in</source>
        <translation>CodeWorm beim Anmelden starten</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Writes %1 (removed again when turned off).</source>
        <translation>Schreibt %1 (wird beim Ausschalten wieder entfernt).</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Repository to document</source>
        <translation>Zu dokumentierendes Repository</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>%1 is another machine: the source code CodeWorm documents is sent there.</source>
        <translation>%1 ist ein anderer Rechner: Der Quelltext, den CodeWorm dokumentiert, wird dorthin gesendet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is another machine: CodeWorm refuses to send your source code there unless you allow it above.</source>
        <translation>%1 ist ein anderer Rechner: CodeWorm sendet Ihren Quelltext nur dorthin, wenn Sie es oben erlauben.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Cannot list the models: %1</source>
        <translation>Die Modelle können nicht aufgelistet werden: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server has no models yet.</source>
        <translation>Der Server hat noch keine Modelle.</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Preferred hours: expected hours from 0 to 23 such as &quot;9, 10, 14-16&quot;</source>
        <translation>Bevorzugte Stunden: erwartet werden Stunden von 0 bis 23 wie „9, 10, 14-16“</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hours to avoid: expected hours from 0 to 23 such as &quot;0-7, 12&quot;</source>
        <translation>Zu meidende Stunden: erwartet werden Stunden von 0 bis 23 wie „0-7, 12“</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Not saved:
%1</source>
        <translation>Nicht gespeichert:
%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not saved, the files are unchanged:
%1</source>
        <translation>Nicht gespeichert, die Dateien sind unverändert:
%1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The running CodeWorm did not take the new settings: %1</source>
        <translation>Das laufende CodeWorm hat die neuen Einstellungen nicht übernommen: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Saved, but:
%1</source>
        <translation>Gespeichert, aber:
%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Saved. The previous files were kept as %1; comments in them are not carried over to the new ones.</source>
        <translation>Gespeichert. Die bisherigen Dateien wurden als %1 aufbewahrt; ihre Kommentare werden nicht in die neuen übernommen.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> and </source>
        <translation> und </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing changed.</source>
        <translation>Nichts geändert.</translation>
    </message>
</context>
<context>
    <name>codeworm::StatsWindow</name>
    <message>
        <location filename="../ui/StatsWindow.cpp" line="+58"/>
        <location line="+101"/>
        <source>Documents</source>
        <translation>Dokumente</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>CodeWorm statistics</source>
        <translation>CodeWorm-Statistik</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Cycles</source>
        <translation>Zyklen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Total:</source>
        <translation>Gesamt:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Successful:</source>
        <translation>Erfolgreich:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed:</source>
        <translation>Fehlgeschlagen:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skipped:</source>
        <translation>Übersprungen:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Success rate:</source>
        <translation>Erfolgsquote:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failures in a row:</source>
        <translation>Fehlschläge in Folge:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last success:</source>
        <translation>Letzter Erfolg:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last failure:</source>
        <translation>Letzter Fehlschlag:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last failure reason:</source>
        <translation>Grund des letzten Fehlschlags:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>LLM:</source>
        <translation>LLM:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next runs today:</source>
        <translation>Nächste Läufe heute:</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>Commits per day, last %n day(s)</source>
        <translation>
            <numerusform>Commits pro Tag, letzter %n Tag</numerusform>
            <numerusform>Commits pro Tag, letzte %n Tage</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+12"/>
        <source>Repository</source>
        <translation>Repository</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+11"/>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Recent commits</source>
        <translation>Letzte Commits</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Target</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Commit</source>
        <translation>Commit</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Double-click a commit to open its document</source>
        <translation>Doppelklicken Sie auf einen Commit, um sein Dokument zu öffnen</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>No statistics yet: %1 does not exist.</source>
        <translation>Noch keine Statistik: %1 existiert nicht.</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>CodeWorm is not running; model %1</source>
        <translation>CodeWorm läuft nicht; Modell %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1; model %2</source>
        <translation>%1; Modell %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1; %2</source>
        <translation>%1; %2</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (%2 unfinished)</source>
        <translation>%1 (%2 nicht abgeschlossen)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>none finished</source>
        <translation>keiner abgeschlossen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>none left today</source>
        <translation>heute keine mehr</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the schedule is off</source>
        <translation>der Zeitplan ist aus</translation>
    </message>
</context>
<context>
    <name>codeworm::StatusPanel</name>
    <message>
        <location filename="../ui/StatusPanel.cpp" line="+21"/>
        <source>Run now</source>
        <translation>Jetzt ausführen</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
</context>
<context>
    <name>codeworm::StreamingReply</name>
    <message>
        <location filename="../core/llm/StreamingReply.cpp" line="+104"/>
        <source>the request to %1 was cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+123"/>
        <source>%1 answered HTTP %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 answered HTTP %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 closed the connection in the middle of the answer (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cannot reach %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+14"/>
        <source>cannot connect to %1 within %2 s (llm.timeouts.connect_s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 did not start answering within %2 s (llm.timeouts.first_token_s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 sent nothing for %2 s in the middle of the answer (llm.timeouts.idle_s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 did not finish the answer within %2 s (llm.timeouts.total_s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location line="+55"/>
        <source> (after %n tries)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>codeworm::TrayIcon</name>
    <message>
        <location filename="../ui/TrayIcon.cpp" line="+35"/>
        <location line="+114"/>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <location line="-113"/>
        <source>Run now</source>
        <translation>Jetzt ausführen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open DevLog folder</source>
        <translation>DevLog-Ordner öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open last document</source>
        <translation>Letztes Dokument öffnen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open log</source>
        <translation>Protokoll öffnen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Statistics…</source>
        <translation>Statistik…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings…</source>
        <translation>Einstellungen…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
</context>
</TS>
