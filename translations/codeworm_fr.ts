<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
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
        <translation>Inactif</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Working</source>
        <translation>Au travail</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Paused</source>
        <translation>En pause</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Waiting for the LLM</source>
        <translation>En attente du LLM</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
</context>
<context>
    <name>StatusText</name>
    <message>
        <location filename="../ui/StatusText.cpp" line="+22"/>
        <source>CodeWorm: %1</source>
        <translation>CodeWorm&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Today: %1 of %2 commits</source>
        <translation>Aujourd’hui&#xa0;: %1 commits sur %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Next run: paused</source>
        <translation>Prochaine exécution&#xa0;: en pause</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Next run: none planned</source>
        <translation>Prochaine exécution&#xa0;: aucune prévue</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next run: %1</source>
        <translation>Prochaine exécution&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Last commit: none yet</source>
        <translation>Dernier commit&#xa0;: aucun pour l’instant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Last commit: %1 at %2</source>
        <translation>Dernier commit&#xa0;: %1 à %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Writing about %1, %2 tokens/s</source>
        <translation>Rédige sur %1, %2 jetons/s</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Writing about %1</source>
        <translation>Rédige sur %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Waiting: %1</source>
        <translation>En attente&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Alert: %1</source>
        <translation>Alerte&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>codeworm::CommitChart</name>
    <message>
        <location filename="../ui/CommitChart.cpp" line="+25"/>
        <source>Commits per day</source>
        <translation>Commits par jour</translation>
    </message>
    <message numerus="yes">
        <location line="+27"/>
        <source>%1: %n commit(s)</source>
        <translation>
            <numerusform>%1&#xa0;: %n commit</numerusform>
            <numerusform>%1&#xa0;: %n commits</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>d MMM</source>
        <comment>date format of the chart&apos;s day labels</comment>
        <translation>d MMM</translation>
    </message>
    <message>
        <location line="+102"/>
        <source>No commits in these days</source>
        <translation>Aucun commit ces jours-là</translation>
    </message>
</context>
<context>
    <name>codeworm::DBusNotifier</name>
    <message>
        <location filename="../core/notify/DBusNotifier.cpp" line="+68"/>
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
</context>
<context>
    <name>codeworm::Daemon</name>
    <message>
        <location filename="../core/daemon/Daemon.cpp" line="+37"/>
        <source>the planned run waits: %1</source>
        <translation>l’exécution prévue attend&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+199"/>
        <source>pulling %1: %2 (%3%)</source>
        <translation>téléchargement de %1&#xa0;: %2 (%3&#xa0;%)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pulling %1: %2</source>
        <translation>téléchargement de %1&#xa0;: %2</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>the last %1 cycles failed: the next waits until %2</source>
        <translation>les %1 derniers cycles ont échoué&#xa0;: le prochain attend jusqu’à %2</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>nothing waits to be pushed to %1</source>
        <translation>rien n’attend d’être poussé vers %1</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>%n commit(s) wait: %1; next try at %2</source>
        <translation>
            <numerusform>%n commit en attente&#xa0;: %1&#xa0;; prochain essai à %2</numerusform>
            <numerusform>%n commits en attente&#xa0;: %1&#xa0;; prochain essai à %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n commit(s) wait: %1</source>
        <translation>
            <numerusform>%n commit en attente&#xa0;: %1</numerusform>
            <numerusform>%n commits en attente&#xa0;: %1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+46"/>
        <source>the planned run waits</source>
        <translation>l’exécution prévue attend</translation>
    </message>
</context>
<context>
    <name>codeworm::DeadmanSwitch</name>
    <message>
        <location filename="../core/schedule/DeadmanSwitch.cpp" line="+122"/>
        <source>no document since %1: the run planned at %2 is %3 minutes overdue</source>
        <translation>aucun document depuis %1&#xa0;: l’exécution prévue à %2 a %3 minutes de retard</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>no document yet: the run planned at %1 is %2 minutes overdue</source>
        <translation>aucun document pour l’instant&#xa0;: l’exécution prévue à %1 a %2 minutes de retard</translation>
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
        <translation>heures de silence %1–%2</translation>
    </message>
    <message>
        <location line="+74"/>
        <source>on battery power</source>
        <translation>sur batterie</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>the session has been idle for %1 of %2 minute</source>
        <translation>la session n’est inactive que depuis %1 minute sur %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the session has been idle for %1 of %2 minutes</source>
        <translation>la session n’est inactive que depuis %1 minutes sur %2</translation>
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
        <translation type="unfinished">%1&#xa0;; %2 {1:?}</translation>
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
            <numerusform>CodeWorm&#xa0;: %n cycle a échoué d’affilée</numerusform>
            <numerusform>CodeWorm&#xa0;: %n cycles ont échoué d’affilée</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last failure: %1</source>
        <translation>Dernier échec&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 in %2
commit %3</source>
        <translation>%1 dans %2
commit %3</translation>
    </message>
    <message numerus="yes">
        <location line="+35"/>
        <source>CodeWorm: the LLM has been unavailable for %n minute(s)</source>
        <translation>
            <numerusform>CodeWorm&#xa0;: le LLM est indisponible depuis %n minute</numerusform>
            <numerusform>CodeWorm&#xa0;: le LLM est indisponible depuis %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Documents wait until it answers again.</source>
        <translation>Les documents attendent qu’il réponde à nouveau.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1
Documents wait until it answers again.</source>
        <translation>%1
Les documents attendent qu’il réponde à nouveau.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>CodeWorm: pushing the DevLog fails</source>
        <translation>CodeWorm&#xa0;: l’envoi du DevLog échoue</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>CodeWorm has not documented anything</source>
        <translation>CodeWorm n’a rien documenté</translation>
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
        <translation type="unfinished">téléchargement de %1&#xa0;: %2</translation>
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
        <translation>Paramètres de CodeWorm</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Repositories</source>
        <translation>Dépôts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language model</source>
        <translation>Modèle de langage</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Schedule</source>
        <translation>Planification</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DevLog</source>
        <translation>DevLog</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notifications</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Laptop</source>
        <translation>Portable</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start at login</source>
        <translation>Démarrage à la connexion</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>The configuration cannot be read, so it cannot be saved here; fix it in the file first:
%1</source>
        <translation>La configuration ne peut pas être lue, elle ne peut donc pas être enregistrée ici&#xa0;; corrigez d’abord le fichier&#xa0;:
%1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Add the repositories CodeWorm should document.</source>
        <translation>Ajoutez les dépôts que CodeWorm doit documenter.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Folder</source>
        <translation>Dossier</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Weight</source>
        <translation>Poids</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Enabled</source>
        <translation>Activé</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Publish source</source>
        <translation>Publier le code</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How often this repository is picked, 1 to 10</source>
        <translation>Fréquence à laquelle ce dépôt est choisi, de 1 à 10</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Off: the DevLog gets the documentation without the source code</source>
        <translation>Désactivé&#xa0;: le DevLog reçoit la documentation sans le code source</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Add…</source>
        <translation>Ajouter…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>A git repository is read at its last commit; uncommitted changes are never documented.</source>
        <translation>Un dépôt git est lu à son dernier commit&#xa0;; les modifications non commitées ne sont jamais documentées.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OpenAI-compatible server (llama.cpp, LM Studio, vLLM)</source>
        <translation>Serveur compatible OpenAI (llama.cpp, LM Studio, vLLM)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Refresh</source>
        <translation>Actualiser</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ask the server which models it has</source>
        <translation>Demander au serveur quels modèles il propose</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Allow a server on another machine</source>
        <translation>Autoriser un serveur sur une autre machine</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Server type:</source>
        <translation>Type de serveur&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Endpoint:</source>
        <translation>Point d’accès&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model:</source>
        <translation>Modèle&#xa0;:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Write documentation on a schedule</source>
        <translation>Rédiger la documentation selon une planification</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>System time zone</source>
        <translation>Fuseau horaire du système</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>for example 9, 10, 14-16</source>
        <translation>par exemple 9, 10, 14-16</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>for example 0-7, 12</source>
        <translation>par exemple 0-7, 12</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+57"/>
        <location line="+14"/>
        <location line="+22"/>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location line="-89"/>
        <source>Fewest documents a day:</source>
        <translation>Documents par jour, au minimum&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Most documents a day:</source>
        <translation>Documents par jour, au maximum&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time zone:</source>
        <translation>Fuseau horaire&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preferred hours:</source>
        <translation>Heures préférées&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hours to avoid:</source>
        <translation>Heures à éviter&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Share on weekends:</source>
        <translation>Part le week-end&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Least time between two:</source>
        <translation>Écart minimal entre deux&#xa0;:</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Choose…</source>
        <translation>Choisir…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>DevLog folder</source>
        <translation>Dossier du DevLog</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>origin, a URL or a path; empty: no push</source>
        <translation>origin, une URL ou un chemin&#xa0;; vide&#xa0;: pas d’envoi</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The git repository CodeWorm commits the documentation to, and where it pushes it.</source>
        <translation>Le dépôt git dans lequel CodeWorm commite la documentation, et vers lequel il la pousse.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder:</source>
        <translation>Dossier&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remote:</source>
        <translation>Dépôt distant&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Branch:</source>
        <translation>Branche&#xa0;:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Each committed document</source>
        <translation>Chaque document commité</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+4"/>
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The DevLog cannot be pushed</source>
        <translation>Le DevLog ne peut pas être poussé</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No document although one was due (dead-man&apos;s switch)</source>
        <translation>Aucun document alors qu’il en fallait un (dispositif de l’homme mort)</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+22"/>
        <source>Off</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Tell me when:</source>
        <translation>Me prévenir quand&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The language model is unreachable for:</source>
        <translation>Le modèle de langage est injoignable depuis&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cycles failed in a row:</source>
        <translation>Cycles échoués d’affilée&#xa0;:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A planned run is overdue by:</source>
        <translation>Une exécution prévue a un retard de&#xa0;:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Wait while on battery</source>
        <translation>Attendre sur batterie</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Quiet hours: no runs from</source>
        <translation>Heures de silence&#xa0;: aucune exécution de</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>to</source>
        <translation>à</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Only after the desktop is idle for:</source>
        <translation>Seulement après une inactivité du bureau de&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A run due at a time like these waits until it passes.</source>
        <translation>Une exécution prévue pendant l’une de ces périodes attend qu’elle soit passée.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Start CodeWorm when I log in</source>
        <translation>Démarrer CodeWorm à la connexion</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Writes %1 (removed again when turned off).</source>
        <translation>Écrit %1 (supprimé lors de la désactivation).</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Repository to document</source>
        <translation>Dépôt à documenter</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>%1 is another machine: the source code CodeWorm documents is sent there.</source>
        <translation>%1 est une autre machine&#xa0;: le code source que CodeWorm documente y est envoyé.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 is another machine: CodeWorm refuses to send your source code there unless you allow it above.</source>
        <translation>%1 est une autre machine&#xa0;: CodeWorm refuse d’y envoyer votre code source, sauf si vous l’autorisez ci-dessus.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Cannot list the models: %1</source>
        <translation>Impossible de lister les modèles&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The server has no models yet.</source>
        <translation>Le serveur n’a encore aucun modèle.</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Preferred hours: expected hours from 0 to 23 such as &quot;9, 10, 14-16&quot;</source>
        <translation>Heures préférées&#xa0;: des heures de 0 à 23 sont attendues, comme «&#xa0;9, 10, 14-16&#xa0;»</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hours to avoid: expected hours from 0 to 23 such as &quot;0-7, 12&quot;</source>
        <translation>Heures à éviter&#xa0;: des heures de 0 à 23 sont attendues, comme «&#xa0;0-7, 12&#xa0;»</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Not saved:
%1</source>
        <translation>Non enregistré&#xa0;:
%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not saved, the files are unchanged:
%1</source>
        <translation>Non enregistré, les fichiers sont inchangés&#xa0;:
%1</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The running CodeWorm did not take the new settings: %1</source>
        <translation>Le CodeWorm en cours d’exécution n’a pas pris en compte les nouveaux paramètres&#xa0;: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Saved, but:
%1</source>
        <translation>Enregistré, mais&#xa0;:
%1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Saved. The previous files were kept as %1; comments in them are not carried over to the new ones.</source>
        <translation>Enregistré. Les fichiers précédents ont été conservés sous %1&#xa0;; leurs commentaires ne sont pas repris dans les nouveaux.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> and </source>
        <translation> et </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nothing changed.</source>
        <translation>Rien n’a changé.</translation>
    </message>
</context>
<context>
    <name>codeworm::StatsWindow</name>
    <message>
        <location filename="../ui/StatsWindow.cpp" line="+58"/>
        <location line="+101"/>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location line="-75"/>
        <source>CodeWorm statistics</source>
        <translation>Statistiques de CodeWorm</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Cycles</source>
        <translation>Cycles</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Total:</source>
        <translation>Total&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Successful:</source>
        <translation>Réussis&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed:</source>
        <translation>Échoués&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Skipped:</source>
        <translation>Ignorés&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Success rate:</source>
        <translation>Taux de réussite&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failures in a row:</source>
        <translation>Échecs d’affilée&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last success:</source>
        <translation>Dernière réussite&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last failure:</source>
        <translation>Dernier échec&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last failure reason:</source>
        <translation>Raison du dernier échec&#xa0;:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Now</source>
        <translation>Maintenant</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>LLM:</source>
        <translation>LLM&#xa0;:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next runs today:</source>
        <translation>Prochaines exécutions aujourd’hui&#xa0;:</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>Commits per day, last %n day(s)</source>
        <translation>
            <numerusform>Commits par jour, dernier %n jour</numerusform>
            <numerusform>Commits par jour, %n derniers jours</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+12"/>
        <source>Repository</source>
        <translation>Dépôt</translation>
    </message>
    <message>
        <location line="-11"/>
        <location line="+11"/>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Language</source>
        <translation>Langage</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Recent commits</source>
        <translation>Commits récents</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Target</source>
        <translation>Cible</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Commit</source>
        <translation>Commit</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Double-click a commit to open its document</source>
        <translation>Double-cliquez sur un commit pour ouvrir son document</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>No statistics yet: %1 does not exist.</source>
        <translation>Pas encore de statistiques&#xa0;: %1 n’existe pas.</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>CodeWorm is not running; model %1</source>
        <translation>CodeWorm n’est pas lancé&#xa0;; modèle %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1; model %2</source>
        <translation>%1&#xa0;; modèle %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1; %2</source>
        <translation>%1&#xa0;; %2</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 (%2 unfinished)</source>
        <translation>%1 (%2 inachevés)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>none finished</source>
        <translation>aucun terminé</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 %</source>
        <translation>%1&#xa0;%</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>none</source>
        <translation>aucune</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>none left today</source>
        <translation>plus aucune aujourd’hui</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the schedule is off</source>
        <translation>la planification est désactivée</translation>
    </message>
</context>
<context>
    <name>codeworm::StatusPanel</name>
    <message>
        <location filename="../ui/StatusPanel.cpp" line="+21"/>
        <source>Run now</source>
        <translation>Exécuter maintenant</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pause</source>
        <translation>Mettre en pause</translation>
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
        <translation>Mettre en pause</translation>
    </message>
    <message>
        <location line="-113"/>
        <source>Run now</source>
        <translation>Exécuter maintenant</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open DevLog folder</source>
        <translation>Ouvrir le dossier du DevLog</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open last document</source>
        <translation>Ouvrir le dernier document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open log</source>
        <translation>Ouvrir le journal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Statistics…</source>
        <translation>Statistiques…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
</context>
</TS>
