metadata description = 'Azure Monitor alerts for what an operator must act on (dead-lettered tasks, a task backlog, undeliverable blob events, imports held for a lost answer or poisoned, failing token refreshes, a refused Fragment token, other errors), each telling what to do (README, Operator runbook), all notifying one action group.'

@description('Required. Name of the action group every alert notifies.')
param actionGroupName string

@description('Required. Short name of the action group (at most 12 characters), shown in e-mails and SMS.')
@minLength(1)
@maxLength(12)
param actionGroupShortName string

@description('Optional. E-mail addresses the action group notifies. Empty: the group exists without receivers (add them here: a deployment replaces the list).')
param alertEmails string[] = []

@description('Required. Prefix of the alert rule names, e.g. alert-integration-dev.')
param namePrefix string

@description('Required. Azure region of the log alert rules (metric alerts and the action group are global).')
param location string

@description('Required. Resource id of the Service Bus namespace.')
param serviceBusNamespaceId string

@description('Required. Name of the task queue the Service Bus alerts filter on (metric dimension EntityName).')
param tasksQueueName string

@description('Required. Average number of active messages in the task queue over 30 minutes above which the backlog alert fires.')
@minValue(1)
param tasksBacklogThreshold int

@description('Required. Resource id of the Event Grid system topic on the storage account (source of the ImportCsv blob trigger).')
param eventGridSystemTopicId string

@description('Required. Container the Event Grid system topic dead-letters undeliverable blob events into.')
param eventGridDeadLetterContainerName string

@description('Required. Key Vault secret holding the Dragonfruit refresh token (named in the token refresh alert).')
param dragonfruitRefreshTokenSecretName string

@description('Required. Key Vault secret holding Fragment\'s API token (named in the alert on a refused token).')
param fragmentApiTokenSecretName string

@description('Required. Resource id of the (workspace-based) Application Insights component the log alerts query.')
param applicationInsightsId string

@description('Optional. Tags for the resources.')
param tags object = {}

// ---------------------------------------------------------------------------------------------------------------------
// Log queries (Application Insights classic tables). Every error or critical log of the app's own code (category
// Integration.*, i.e. ILogger<T> of a type under src/Integration) and every failed invocation the Functions host logs
// (category Function.<name>: an exception escaped a function) gets one class; each log alert takes one class, so the
// "errors logged" alert sees exactly what the three specific ones do not. Errors logged with an exception are in
// `exceptions` (no `message` column: they can only be tokenRefresh or error). tests/Integration.Tests/Infra/AlertsTemplateTests
// checks the categories and message fragments below against the code that logs them.
// ---------------------------------------------------------------------------------------------------------------------

var classifiedErrors = '''
union traces, exceptions
| where severityLevel >= 3
| extend category = tostring(customDimensions.CategoryName)
| where category startswith "Integration." or category startswith "Function."
| extend alert = case(
    category == "Integration.Imports.ImportRun" and message contains " held: part ", "importHeld",
    category == "Integration.Imports.ImportRun" and message contains " poisoned: Dragonfruit stayed unavailable", "importPoisoned",
    category startswith "Integration.Tokens.", "tokenRefresh",
    category == "Integration.Tasks.TaskHandler" and severityLevel == 4 and message startswith "Fragment refused the API token", "fragmentToken",
    "error")
'''

// Older task versions arriving after newer ones (upstream out of order): TaskHandler completes them without a call and
// logs a Warning (a duplicate of the applied version is Information and not counted). AlertsTemplateTests checks the line.
var olderVersionsCompleted = '''
traces
| where severityLevel == 2
| where tostring(customDimensions.CategoryName) == "Integration.Tasks.TaskHandler"
| where message startswith "Stale: task "
'''

var logAlerts = [
  {
    name: 'import-held'
    displayName: 'Import held for a lost answer'
    severity: 2
    query: '${classifiedErrors}| where alert == "importHeld"'
    description: 'A part of a CSV import went out in full to Dragonfruit and its answer was lost: nothing more of that file is sent until an operator settles it. The log line names the blob, the customer, the part and when it was sent; the file\'s report (BLOB.report.json in the results container) says which rows to look for. Check in Dragonfruit whether those rows arrived, then run `integration imports resolve BLOB --arrived` (they did: go on) or `--lost` (send that part again). `integration imports list --status outcome_unknown` lists every held file (README, Operator runbook).'
  }
  {
    name: 'import-poisoned'
    displayName: 'Import poisoned'
    severity: 2
    query: '${classifiedErrors}| where alert == "importPoisoned"'
    description: 'Dragonfruit stayed unavailable (429, 5xx, no connection) in every run a CSV drop was allowed (Imports__MaxAttempts): it is not tried again automatically. The log line names the blob and the customer; its report (BLOB.report.json in the results container) says what Dragonfruit answered. Once Dragonfruit is back, run `integration imports reimport BLOB`; `integration imports list --status poisoned` lists every poisoned drop (README, Operator runbook).'
  }
  {
    name: 'token-refresh-failing'
    displayName: 'Dragonfruit token refresh failing'
    severity: 1
    query: '${classifiedErrors}| where alert == "tokenRefresh"'
    description: 'The Dragonfruit token refresh (timer RefreshDragonfruitTokens) failed: imports stop once the stored tokens expire. The log line says why: the token endpoint unreachable or refusing the refresh token, Key Vault or the lease storage failing, or the secret missing. A refused or missing refresh token needs a new one in the Key Vault secret ${dragonfruitRefreshTokenSecretName} (README, Deployment: Seed the secrets); the next timer tick tries again.'
  }
  {
    name: 'fragment-token-refused'
    displayName: 'Fragment refused the API token'
    severity: 1
    query: '${classifiedErrors}| where alert == "fragmentToken"'
    description: 'Fragment answered 401/403 to the API token: task sending pauses and messages are delayed (not dead-lettered) until the token works. Check the Key Vault secret ${fragmentApiTokenSecretName} and set a valid token; sending resumes on its own after the pause. Messages that ran out of attempts meanwhile: `integration deadletters groups` (README, Operator runbook).'
  }
  {
    name: 'tasks-older-versions'
    displayName: 'Older task versions completed without a call'
    severity: 3
    query: olderVersionsCompleted
    description: 'Task messages arrived with a version older than the one Fragment already has (upstream sent them out of order, or replayed old messages): they were completed without a call, so Fragment keeps the newer one. The log lines name each task, its version and the applied one. If upstream meant the older data, it must send it again with a newer version; if a task is wrong at Fragment, `integration tasks reset UID` lets the next message through whatever its version (README, Task contract).'
  }
  {
    name: 'errors-logged'
    displayName: 'Errors logged'
    severity: 3
    query: '${classifiedErrors}| where alert == "error"'
    description: 'The app logged errors not covered by a more specific alert (held or poisoned imports, token refresh, refused Fragment token). Read them in Application Insights (traces and exceptions with severityLevel >= 3, customDimensions.CategoryName Integration.* for the app\'s own logs, Function.* for invocations that failed with an exception) and follow the README, Operator runbook: `integration imports list`, `integration deadletters groups`, `integration requests list --since 1h --status 5xx`.'
  }
]

// ---------------------------------------------------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------------------------------------------------

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: actionGroupShortName
    enabled: true
    emailReceivers: [
      for (email, i) in alertEmails: {
        name: 'email-${i}'
        emailAddress: email
        useCommonAlertSchema: true
      }
    ]
  }
}

resource tasksDeadLettered 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-tasks-deadlettered'
  location: 'global'
  tags: tags
  properties: {
    description: 'Task messages were dead-lettered (Fragment kept refusing them, they ran out of attempts or expired): the task queue\'s dead-letter subqueue is not empty. Run `integration deadletters groups` to see them grouped by cause, fix the cause or the data, then `integration deadletters redrive --fingerprint F` (README, Operator runbook). The alert resolves once the dead-letters are redriven or removed.'
    severity: 2
    enabled: true
    scopes: [
      serviceBusNamespaceId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    targetResourceType: 'Microsoft.ServiceBus/namespaces'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'DeadletteredMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                tasksQueueName
              ]
            }
          ]
          timeAggregation: 'Maximum'
          operator: 'GreaterThan'
          threshold: 0
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

resource tasksBacklog 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-tasks-backlog'
  location: 'global'
  tags: tags
  properties: {
    description: 'More than ${tasksBacklogThreshold} task messages waited in the task queue on average over 30 minutes. Fragment takes at most 60 requests a minute (3,600 an hour), so a backlog this size takes a while to drain: check that the task function runs (UpsertTask, or UpsertTaskBatch in batch mode; Application Insights), that sending is not paused (alert "Fragment refused the API token"), and `integration requests list --since 1h --status 5xx` for a partner outage (README, Operator runbook).'
    severity: 3
    enabled: true
    scopes: [
      serviceBusNamespaceId
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT30M'
    autoMitigate: true
    targetResourceType: 'Microsoft.ServiceBus/namespaces'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'ActiveMessages'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'ActiveMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                tasksQueueName
              ]
            }
          ]
          timeAggregation: 'Average'
          operator: 'GreaterThan'
          threshold: tasksBacklogThreshold
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

resource blobEventsDeadLettered 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${namePrefix}-blob-events-deadlettered'
  location: 'global'
  tags: tags
  properties: {
    description: 'A blob-created event could not be delivered to the ImportCsv function and was dead-lettered into the ${eventGridDeadLetterContainerName} container: that drop was not imported. The file itself is still in the imports container. Find its name in the dead-lettered event (subject ends in /blobs/BLOB), make sure the app runs and the blob events subscription exists (infra/bicep/scripts/subscribe-blob-events.sh), then `integration imports reimport BLOB` (README, Operator runbook).'
    severity: 1
    enabled: true
    scopes: [
      eventGridSystemTopicId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    targetResourceType: 'Microsoft.EventGrid/systemTopics'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'DeadLetteredCount'
          metricNamespace: 'Microsoft.EventGrid/systemTopics'
          metricName: 'DeadLetteredCount'
          timeAggregation: 'Total'
          operator: 'GreaterThan'
          threshold: 0
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

resource logAlertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in logAlerts: {
    name: '${namePrefix}-${rule.name}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: rule.displayName
      description: rule.description
      severity: rule.severity
      enabled: true
      scopes: [
        applicationInsightsId
      ]
      evaluationFrequency: 'PT5M'
      windowSize: 'PT15M'
      autoMitigate: true
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      actions: {
        actionGroups: [
          actionGroup.id
        ]
      }
    }
  }
]

@description('Name of the action group every alert notifies.')
output actionGroupName string = actionGroup.name
