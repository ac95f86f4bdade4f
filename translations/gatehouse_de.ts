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
    <name>LifecycleState</name>
    <message>
        <source>draft</source>
        <translation>Entwurf</translation>
    </message>
    <message>
        <source>published</source>
        <translation>veröffentlicht</translation>
    </message>
    <message>
        <source>deprecated</source>
        <translation>veraltet</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>stillgelegt</translation>
    </message>
    <message>
        <source>Off: the gateway answers 404 as if the route did not exist.</source>
        <translation>Aus: Das Gateway antwortet mit 404, als gäbe es die Route nicht.</translation>
    </message>
    <message>
        <source>Live and listed in the portal and the OpenAPI document.</source>
        <translation>Aktiv und im Portal sowie im OpenAPI-Dokument aufgeführt.</translation>
    </message>
    <message>
        <source>Still served, with Deprecation and Sunset headers.</source>
        <translation>Wird weiter bedient, mit Deprecation- und Sunset-Headern.</translation>
    </message>
    <message>
        <source>Answers 410 Gone.</source>
        <translation>Antwortet mit 410 Gone.</translation>
    </message>
</context>
<context>
    <name>ProblemDisplay</name>
    <message>
        <source>item %1</source>
        <translation>Eintrag %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
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
    <name>gh::EntityEditorPage</name>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Save and apply to new requests at once (Ctrl+S)</source>
        <translation>Speichern und sofort auf neue Anfragen anwenden (Strg+S)</translation>
    </message>
    <message>
        <source>Throw away the changes not saved yet</source>
        <translation>Noch nicht gespeicherte Änderungen verwerfen</translation>
    </message>
    <message>
        <source>Send Test Request…</source>
        <translation>Testanfrage senden…</translation>
    </message>
    <message>
        <source>Send a request through the gateway to the selected route and see the response</source>
        <translation>Eine Anfrage über das Gateway an die gewählte Route senden und die Antwort ansehen</translation>
    </message>
    <message>
        <source>New Route</source>
        <translation>Neue Route</translation>
    </message>
    <message>
        <source>New Service</source>
        <translation>Neuer Dienst</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>Click “%1” above to write one here, or add them in one of two ways:</source>
        <translation>Klicken Sie oben auf „%1“, um hier einen Eintrag anzulegen, oder fügen Sie Einträge auf einem von zwei Wegen hinzu:</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>The new entry has unsaved changes.</source>
        <translation>Der neue Eintrag hat ungespeicherte Änderungen.</translation>
    </message>
    <message>
        <source>“%1” has unsaved changes.</source>
        <translation>„%1“ hat ungespeicherte Änderungen.</translation>
    </message>
    <message>
        <source>Save them before going on?</source>
        <translation>Vor dem Fortfahren speichern?</translation>
    </message>
    <message>
        <source>Created “%1”; it applies to new requests now.</source>
        <translation>„%1“ angelegt; gilt ab sofort für neue Anfragen.</translation>
    </message>
    <message>
        <source>Saved “%1”; it applies to new requests now.</source>
        <translation>„%1“ gespeichert; gilt ab sofort für neue Anfragen.</translation>
    </message>
    <message>
        <source>Delete the route “%1”? Requests to it will get 404.</source>
        <translation>Route „%1“ löschen? Anfragen an sie erhalten dann 404.</translation>
    </message>
    <message>
        <source>Delete “%1”?</source>
        <translation>„%1“ löschen?</translation>
    </message>
    <message>
        <source>Still in Use</source>
        <translation>Noch in Gebrauch</translation>
    </message>
    <message>
        <source>“%1” was not deleted: something still refers to it.</source>
        <translation>„%1“ wurde nicht gelöscht: Etwas verweist noch darauf.</translation>
    </message>
    <message>
        <source>Change or delete these first:</source>
        <translation>Ändern oder löschen Sie zuerst diese:</translation>
    </message>
    <message>
        <source>Deleted “%1”.</source>
        <translation>„%1“ gelöscht.</translation>
    </message>
    <message>
        <source>Not saved:</source>
        <translation>Nicht gespeichert:</translation>
    </message>
</context>
<context>
    <name>gh::EntityForm</name>
    <message>
        <source>letters, digits, “.”, “_” and “-”</source>
        <translation>Buchstaben, Ziffern, „.“, „_“ und „-“</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
    <message>
        <source>The name cannot change. To rename, create a new entry and delete this one.</source>
        <translation>Der Name lässt sich nicht ändern. Zum Umbenennen einen neuen Eintrag anlegen und diesen löschen.</translation>
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
    <name>gh::RouteForm</name>
    <message>
        <source>Remove the matched prefix when forwarding</source>
        <translation>Passendes Präfix beim Weiterleiten entfernen</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Aktiviert</translation>
    </message>
    <message>
        <source>One path prefix per line, e.g. /billing</source>
        <translation>Ein Pfadpräfix pro Zeile, z. B. /billing</translation>
    </message>
    <message>
        <source>A request matches when its path starts with one of these prefixes (whole segments: /billing matches /billing/invoices, not /billingx).</source>
        <translation>Eine Anfrage passt, wenn ihr Pfad mit einem dieser Präfixe beginnt (ganze Segmente: /billing passt auf /billing/invoices, nicht auf /billingx).</translation>
    </message>
    <message>
        <source>Paths</source>
        <translation>Pfade</translation>
    </message>
    <message>
        <source>None checked: every method matches.</source>
        <translation>Keine ausgewählt: Jede Methode passt.</translation>
    </message>
    <message>
        <source>Methods</source>
        <translation>Methoden</translation>
    </message>
    <message>
        <source>Any host. Or one per line, e.g. api.example.com</source>
        <translation>Jeder Host. Oder einer pro Zeile, z. B. api.example.com</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <source>The upstream service requests are forwarded to.</source>
        <translation>Der Upstream-Dienst, an den Anfragen weitergeleitet werden.</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>Strip path</source>
        <translation>Pfad kürzen</translation>
    </message>
    <message>
        <source>none: anyone may call</source>
        <translation>none: jeder darf aufrufen</translation>
    </message>
    <message>
        <source>key: a consumer key is required</source>
        <translation>key: ein Consumer-Schlüssel ist nötig</translation>
    </message>
    <message>
        <source>jwt: a signed token is required</source>
        <translation>jwt: ein signiertes Token ist nötig</translation>
    </message>
    <message>
        <source>JWT settings (secret, algorithms) are kept as they are; set them in a config file or through the admin API.</source>
        <translation>JWT-Einstellungen (Secret, Algorithmen) bleiben unverändert; setzen Sie sie in einer Konfigurationsdatei oder über die Admin-API.</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Authentifizierung</translation>
    </message>
    <message>
        <source>One consumer name per line; * for everyone</source>
        <translation>Ein Consumer-Name pro Zeile; * für alle</translation>
    </message>
    <message>
        <source>Who may call the route when it needs a key: consumer names, or * for every consumer.</source>
        <translation>Wer die Route aufrufen darf, wenn sie einen Schlüssel verlangt: Consumer-Namen oder * für alle Consumer.</translation>
    </message>
    <message>
        <source>Consumers</source>
        <translation>Consumer</translation>
    </message>
    <message>
        <source>Turning a route off sets its state to draft: the gateway then answers 404 for it, as if it did not exist, but it stays here to be turned on again. Turning it on publishes it.</source>
        <translation>Eine ausgeschaltete Route bekommt den Status Entwurf: Das Gateway antwortet dann mit 404, als gäbe es sie nicht, aber sie bleibt hier und lässt sich wieder einschalten. Einschalten veröffentlicht sie.</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>only when deprecated</source>
        <translation>nur wenn veraltet</translation>
    </message>
    <message>
        <source>When a deprecated route goes away; sent in the Sunset header.</source>
        <translation>Wann eine veraltete Route wegfällt; wird im Sunset-Header gesendet.</translation>
    </message>
    <message>
        <source>Sunset</source>
        <translation>Abschaltdatum</translation>
    </message>
    <message>
        <source>optional, e.g. v1</source>
        <translation>optional, z. B. v1</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
</context>
<context>
    <name>gh::ServiceForm</name>
    <message>
        <source>Add Target</source>
        <translation>Ziel hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Check the targets&apos; health</source>
        <translation>Zustand der Ziele prüfen</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Ziele</translation>
    </message>
    <message>
        <source>target %1</source>
        <translation>Ziel %1</translation>
    </message>
    <message>
        <source>round-robin</source>
        <translation>reihum</translation>
    </message>
    <message>
        <source>least connections</source>
        <translation>wenigste Verbindungen</translation>
    </message>
    <message>
        <source>random</source>
        <translation>zufällig</translation>
    </message>
    <message>
        <source>How requests are spread across the targets, by weight.</source>
        <translation>Wie Anfragen nach Gewicht auf die Ziele verteilt werden.</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Lastverteilung</translation>
    </message>
    <message>
        <source>Targets that fail the check get no requests until they pass again.</source>
        <translation>Ziele, die die Prüfung nicht bestehen, erhalten keine Anfragen, bis sie sie wieder bestehen.</translation>
    </message>
    <message>
        <source>Health check</source>
        <translation>Zustandsprüfung</translation>
    </message>
    <message>
        <source>Check path</source>
        <translation>Prüfpfad</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Check interval</source>
        <translation>Prüfintervall</translation>
    </message>
    <message>
        <source>How long to wait for a target&apos;s response before answering 504.</source>
        <translation>Wie lange auf die Antwort eines Ziels gewartet wird, bevor mit 504 geantwortet wird.</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Zeitlimit</translation>
    </message>
    <message>
        <source>Further attempts on another target after a connection error or timeout; only for idempotent methods.</source>
        <translation>Weitere Versuche bei einem anderen Ziel nach Verbindungsfehler oder Zeitüberschreitung; nur für idempotente Methoden.</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>Wiederholungen</translation>
    </message>
</context>
<context>
    <name>gh::ServiceTargetsModel</name>
    <message>
        <source>http:// or https:// URL of the upstream, e.g. http://127.0.0.1:9000</source>
        <translation>http://- oder https://-URL des Upstreams, z. B. http://127.0.0.1:9000</translation>
    </message>
    <message>
        <source>Share of requests relative to the other targets; 0 takes none.</source>
        <translation>Anteil der Anfragen im Verhältnis zu den anderen Zielen; 0 erhält keine.</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Gewicht</translation>
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
    <name>gh::StringListEdit</name>
    <message>
        <source>item %1</source>
        <translation>Eintrag %1</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>„%1“</translation>
    </message>
</context>
<context>
    <name>gh::TestRequestDialog</name>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Test Request: %1</source>
        <translation>Testanfrage: %1</translation>
    </message>
    <message>
        <source>Path and query, sent to %1</source>
        <translation>Pfad und Query, gesendet an %1</translation>
    </message>
    <message>
        <source>One per line, e.g. Accept: application/json</source>
        <translation>Einer pro Zeile, z. B. Accept: application/json</translation>
    </message>
    <message>
        <source>One per line, e.g. x-api-key: YOUR-CONSUMER-KEY</source>
        <translation>Einer pro Zeile, z. B. x-api-key: IHR-CONSUMER-SCHLÜSSEL</translation>
    </message>
    <message>
        <source>Optional request body</source>
        <translation>Optionaler Anfrage-Body</translation>
    </message>
    <message>
        <source>The gateway is not running, so there is nothing to send the request to. Start it on the Overview page.</source>
        <translation>Das Gateway läuft nicht, daher gibt es kein Ziel für die Anfrage. Starten Sie es auf der Übersichtsseite.</translation>
    </message>
    <message>
        <source>Request:</source>
        <translation>Anfrage:</translation>
    </message>
    <message>
        <source>Headers:</source>
        <translation>Header:</translation>
    </message>
    <message>
        <source>Body:</source>
        <translation>Body:</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Latency:</source>
        <translation>Latenz:</translation>
    </message>
    <message>
        <source>Header line %1 is not “Name: value”.</source>
        <translation>Headerzeile %1 hat nicht die Form „Name: Wert“.</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message numerus="yes">
        <source>(%n byte(s) of binary data)</source>
        <translation>
            <numerusform>(%n Byte Binärdaten)</numerusform>
            <numerusform>(%n Bytes Binärdaten)</numerusform>
        </translation>
    </message>
    <message>
        <source>… (showing the first %1 KiB of %2 bytes)</source>
        <translation>… (die ersten %1 KiB von %2 Bytes)</translation>
    </message>
    <message>
        <source>“%1” is not a valid path.</source>
        <translation>„%1“ ist kein gültiger Pfad.</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Wird gesendet…</translation>
    </message>
    <message>
        <source>No response: %1</source>
        <translation>Keine Antwort: %1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 ms, of which %2 µs inside the gateway</source>
        <translation>%1 ms, davon %2 µs im Gateway</translation>
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
