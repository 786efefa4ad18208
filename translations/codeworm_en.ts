<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>QObject</name>
    <message>
        <source>Idle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for the LLM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusText</name>
    <message>
        <source>CodeWorm: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today: %1 of %2 commits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next run: paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next run: none planned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next run: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last commit: none yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last commit: %1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing about %1, %2 tokens/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing about %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>codeworm::StatusWindow</name>
    <message>
        <source>Run now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CodeWorm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>codeworm::TrayIcon</name>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
