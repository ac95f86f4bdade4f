<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>EntityColumns</name>
    <message>
        <source>%1 (weight %2)</source>
        <translation>%1 (Gewicht %2)</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s)</source>
        <translation>
            <numerusform>%n Schlüssel</numerusform>
            <numerusform>%n Schlüssel</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>keiner</translation>
    </message>
    <message>
        <source>set</source>
        <translation>gesetzt</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Paths</source>
        <translation>Pfade</translation>
    </message>
    <message>
        <source>Methods</source>
        <translation>Methoden</translation>
    </message>
    <message>
        <source>any</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>Auth</source>
        <translation>Authentifizierung</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Ziele</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Lastverteilung</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>Basis-URL</translation>
    </message>
    <message>
        <source>default for type</source>
        <translation>Standard des Typs</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Fallbacks</source>
        <translation>Ausweichmodelle</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Allowed models</source>
        <translation>Erlaubte Modelle</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Input $/1M</source>
        <translation>Eingabe $/1M</translation>
    </message>
    <message>
        <source>Output $/1M</source>
        <translation>Ausgabe $/1M</translation>
    </message>
</context>
<context>
    <name>GatewayStateText</name>
    <message>
        <source>Not started</source>
        <translation>Nicht gestartet</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Gestoppt</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird gestoppt…</translation>
    </message>
    <message>
        <source>Gateway running at %1</source>
        <translation>Gateway läuft unter %1</translation>
    </message>
    <message>
        <source>Gateway stopping…</source>
        <translation>Gateway wird gestoppt…</translation>
    </message>
    <message>
        <source>Gateway not running: %1</source>
        <translation>Gateway läuft nicht: %1</translation>
    </message>
    <message>
        <source>Gateway stopped</source>
        <translation>Gateway gestoppt</translation>
    </message>
</context>
<context>
    <name>SettingsValidator</name>
    <message>
        <source>The admin API needs a port of its own; %1 is already the gateway&apos;s port.</source>
        <translation>Die Admin-API braucht einen eigenen Port; %1 ist bereits der Port des Gateways.</translation>
    </message>
    <message>
        <source>the gateway (%1)</source>
        <translation>das Gateway (%1)</translation>
    </message>
    <message>
        <source>the admin API (%1)</source>
        <translation>die Admin-API (%1)</translation>
    </message>
    <message>
        <source>Reachable from other machines: %1. Anyone on your network can try to connect; keep consumer keys required.</source>
        <translation>Von anderen Rechnern erreichbar: %1. Jeder in Ihrem Netzwerk kann versuchen, sich zu verbinden; lassen Sie Consumer-Schlüssel verpflichtend.</translation>
    </message>
    <message>
        <source> and </source>
        <translation> und </translation>
    </message>
    <message>
        <source>Choose a data directory.</source>
        <translation>Wählen Sie ein Datenverzeichnis.</translation>
    </message>
    <message>
        <source>Use an absolute path.</source>
        <translation>Verwenden Sie einen absoluten Pfad.</translation>
    </message>
    <message>
        <source>%1 is a file, not a directory.</source>
        <translation>%1 ist eine Datei, kein Verzeichnis.</translation>
    </message>
    <message>
        <source>%1 is not writable.</source>
        <translation>%1 ist nicht beschreibbar.</translation>
    </message>
    <message>
        <source>%1 cannot be created: %2 is not writable.</source>
        <translation>%1 kann nicht angelegt werden: %2 ist nicht beschreibbar.</translation>
    </message>
</context>
<context>
    <name>gh::EntityListPage</name>
    <message>
        <source>Routes</source>
        <translation>Routen</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Dienste</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>Anbieter</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Prompt APIs</source>
        <translation>Prompt-APIs</translation>
    </message>
    <message>
        <source>Consumers</source>
        <translation>Consumer</translation>
    </message>
    <message>
        <source>Prices</source>
        <translation>Preise</translation>
    </message>
    <message>
        <source>Routes send requests whose path (and optionally method and host) matches to a service, with authentication, rate limits, caching and CORS.</source>
        <translation>Routen leiten Anfragen, deren Pfad (und optional Methode und Host) passt, an einen Dienst weiter – mit Authentifizierung, Ratenbegrenzung, Caching und CORS.</translation>
    </message>
    <message>
        <source>Services are plain REST upstreams: one or more target URLs the gateway balances requests across, with health checks and retries.</source>
        <translation>Dienste sind einfache REST-Upstreams: eine oder mehrere Ziel-URLs, auf die das Gateway Anfragen verteilt, mit Health-Checks und Wiederholungen.</translation>
    </message>
    <message>
        <source>Providers are the AI vendors and local servers the gateway calls (OpenAI, Anthropic, Gemini, Ollama, …) and where their API key comes from. Key values are never shown.</source>
        <translation>Anbieter sind die KI-Dienste und lokalen Server, die das Gateway aufruft (OpenAI, Anthropic, Gemini, Ollama, …), und die Herkunft ihres API-Schlüssels. Schlüsselwerte werden nie angezeigt.</translation>
    </message>
    <message>
        <source>Models are the names clients ask for. Each one maps to provider models, load-balanced by weight, with fallbacks tried on errors.</source>
        <translation>Modelle sind die Namen, die Clients anfragen. Jedes verweist auf Modelle von Anbietern, nach Gewicht verteilt, mit Ausweichmodellen bei Fehlern.</translation>
    </message>
    <message>
        <source>Prompt APIs turn a prompt template into a small REST endpoint with declared inputs.</source>
        <translation>Prompt-APIs machen aus einer Prompt-Vorlage einen kleinen REST-Endpunkt mit festgelegten Eingaben.</translation>
    </message>
    <message>
        <source>Consumers are the apps and people calling the gateway, each with its own keys, allowed models, rate limits and budget.</source>
        <translation>Consumer sind die Apps und Personen, die das Gateway aufrufen, jeweils mit eigenen Schlüsseln, erlaubten Modellen, Ratenbegrenzungen und Budget.</translation>
    </message>
    <message>
        <source>Prices override the built-in price table, in USD per million tokens.</source>
        <translation>Preise überschreiben die eingebaute Preistabelle, in USD pro Million Tokens.</translation>
    </message>
    <message>
        <source>No %1 yet</source>
        <translation>Noch keine %1</translation>
    </message>
    <message>
        <source>Editors for %1 arrive in a later version. Until then, add them in one of two ways:</source>
        <translation>Editoren für %1 kommen in einer späteren Version. Bis dahin legen Sie Einträge auf einem von zwei Wegen an:</translation>
    </message>
    <message>
        <source>Config file:</source>
        <translation>Konfigurationsdatei:</translation>
    </message>
    <message>
        <source>start Gatehouse with &lt;code&gt;--config FILE&lt;/code&gt; (YAML or JSON) and list them under &lt;code&gt;%1:&lt;/code&gt;.</source>
        <translation>Gatehouse mit &lt;code&gt;--config DATEI&lt;/code&gt; (YAML oder JSON) starten und die Einträge unter &lt;code&gt;%1:&lt;/code&gt; aufführen.</translation>
    </message>
    <message>
        <source>Admin API:</source>
        <translation>Admin-API:</translation>
    </message>
    <message>
        <source>&lt;code&gt;PUT %1/%2/{name}&lt;/code&gt; with the admin token from &lt;code&gt;%3&lt;/code&gt;, for example:</source>
        <translation>&lt;code&gt;PUT %1/%2/{name}&lt;/code&gt; mit dem Admin-Token aus &lt;code&gt;%3&lt;/code&gt;, zum Beispiel:</translation>
    </message>
</context>
<context>
    <name>gh::MainWindow</name>
    <message>
        <source>Gatehouse</source>
        <translation>Gatehouse</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Datenverkehr</translation>
    </message>
    <message>
        <source>A live table of requests passing through the gateway will appear here: time, route or model, status, duration, size, tokens and cost, with a detail pane for each request. It arrives with the request log and observability feature; until then nothing is recorded here.</source>
        <translation>Hier erscheint eine Live-Tabelle der Anfragen durch das Gateway: Zeit, Route oder Modell, Status, Dauer, Größe, Tokens und Kosten, mit Details zu jeder Anfrage. Sie kommt mit dem Anfrageprotokoll und der Observability-Funktion; bis dahin wird hier nichts aufgezeichnet.</translation>
    </message>
    <message>
        <source>Costs</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Spending over time will appear here, per model, provider and consumer, computed from token usage and the price table. It arrives with the request log and observability feature; until then no costs are shown.</source>
        <translation>Hier erscheinen die Ausgaben im Zeitverlauf, je Modell, Anbieter und Consumer, berechnet aus Token-Verbrauch und Preistabelle. Sie kommen mit dem Anfrageprotokoll und der Observability-Funktion; bis dahin werden keine Kosten angezeigt.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Gatehouse is still running</source>
        <translation>Gatehouse läuft weiter</translation>
    </message>
    <message>
        <source>The gateway keeps serving in the background. Use the tray icon to show the window or quit.</source>
        <translation>Das Gateway arbeitet im Hintergrund weiter. Über das Symbol im Systembereich können Sie das Fenster zeigen oder beenden.</translation>
    </message>
</context>
<context>
    <name>gh::OverviewPage</name>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Gateway URL:</source>
        <translation>Gateway-URL:</translation>
    </message>
    <message>
        <source>Admin URL:</source>
        <translation>Admin-URL:</translation>
    </message>
    <message>
        <source>Uptime:</source>
        <translation>Laufzeit:</translation>
    </message>
    <message>
        <source>Requests served:</source>
        <translation>Beantwortete Anfragen:</translation>
    </message>
    <message>
        <source>Open connections:</source>
        <translation>Offene Verbindungen:</translation>
    </message>
    <message>
        <source>Data directory:</source>
        <translation>Datenverzeichnis:</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s), %1</source>
        <translation>
            <numerusform>%n Tag, %1</numerusform>
            <numerusform>%n Tage, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>The gateway could not start.</source>
        <translation>Das Gateway konnte nicht starten.</translation>
    </message>
    <message>
        <source>Change the listeners or data directory in Settings</source>
        <translation>Adressen oder Datenverzeichnis in den Einstellungen ändern</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>The data directory is not open; fix it in Settings.</source>
        <translation>Das Datenverzeichnis ist nicht geöffnet; korrigieren Sie es in den Einstellungen.</translation>
    </message>
</context>
<context>
    <name>gh::SettingsPage</name>
    <message>
        <source>Apply and Restart Gateway</source>
        <translation>Übernehmen und Gateway neu starten</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>HOST:PORT. Port 0 picks a free port. 127.0.0.1 keeps the gateway to this machine.</source>
        <translation>HOST:PORT. Port 0 wählt einen freien Port. 127.0.0.1 beschränkt das Gateway auf diesen Rechner.</translation>
    </message>
    <message>
        <source>Gateway listens on:</source>
        <translation>Gateway lauscht auf:</translation>
    </message>
    <message>
        <source>Admin API listens on:</source>
        <translation>Admin-API lauscht auf:</translation>
    </message>
    <message>
        <source>Data directory:</source>
        <translation>Datenverzeichnis:</translation>
    </message>
    <message>
        <source>Flags given on the command line (--listen, --admin-listen, --data-dir) override these settings for that run.</source>
        <translation>Auf der Kommandozeile angegebene Optionen (--listen, --admin-listen, --data-dir) überschreiben diese Einstellungen für den jeweiligen Start.</translation>
    </message>
    <message>
        <source>Restarting the gateway…</source>
        <translation>Gateway wird neu gestartet…</translation>
    </message>
    <message>
        <source>Saved. The gateway is running at %1 (admin API at %2).</source>
        <translation>Gespeichert. Das Gateway läuft unter %1 (Admin-API unter %2).</translation>
    </message>
    <message>
        <source>Saved, but the gateway could not start: %1</source>
        <translation>Gespeichert, aber das Gateway konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>Choose Data Directory</source>
        <translation>Datenverzeichnis wählen</translation>
    </message>
</context>
<context>
    <name>gh::TrayIcon</name>
    <message>
        <source>Show Gatehouse</source>
        <translation>Gatehouse anzeigen</translation>
    </message>
    <message>
        <source>Start Gateway</source>
        <translation>Gateway starten</translation>
    </message>
    <message>
        <source>The gateway could not start</source>
        <translation>Das Gateway konnte nicht starten</translation>
    </message>
    <message>
        <source>Stop Gateway</source>
        <translation>Gateway stoppen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>Gatehouse — %1</source>
        <translation>Gatehouse — %1</translation>
    </message>
</context>
</TS>
