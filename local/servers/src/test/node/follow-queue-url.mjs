// An independent SQS client (AWS SDK for JavaScript v3) against the local SQS endpoint named by
// AWS_ENDPOINT_URL_SQS: it creates a queue and then addresses it only by the QueueUrl the server
// returned, as the SDK does by default. Prints one JSON line with what it saw; exits non-zero on error.
import {
  SQSClient, CreateQueueCommand, GetQueueUrlCommand, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand,
} from '@aws-sdk/client-sqs';

const queueName = process.argv[2];
const client = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
try {
  const { QueueUrl: created } = await client.send(new CreateQueueCommand({ QueueName: queueName }));
  const { QueueUrl: looked } = await client.send(new GetQueueUrlCommand({ QueueName: queueName }));
  await client.send(new SendMessageCommand({ QueueUrl: looked, MessageBody: 'hello from the JavaScript SDK' }));
  const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: looked, WaitTimeSeconds: 1 }));
  for (const m of Messages) {
    await client.send(new DeleteMessageCommand({ QueueUrl: looked, ReceiptHandle: m.ReceiptHandle }));
  }
  console.log(JSON.stringify({ created, looked, bodies: Messages.map((m) => m.Body) }));
} catch (e) {
  console.error(`${e.name}: ${e.message}`);
  process.exit(1);
}
