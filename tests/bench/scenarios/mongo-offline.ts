// The offline MongoDB-compatible server through mongoose, the way the BFF uses it: inserts,
// point finds by a unique key, and the atomic `$inc` findOneAndUpdate behind queue numbers.
import mongoose from 'mongoose';
import { startMongoServer } from '@onewindow/mock/mongo/server';
import { measure } from '../measure';

const counterSchema = new mongoose.Schema({ key: { type: String, unique: true }, seq: Number });
const bookingSchema = new mongoose.Schema({ code: { type: String, unique: true }, hallId: String, start: Date });

export async function run(): Promise<void> {
  const server = await startMongoServer();
  const connection = await mongoose.createConnection(`${server.url.replace('/?', '/bench?')}`).asPromise();
  try {
    const Booking = connection.model('Booking', bookingSchema);
    const Counter = connection.model('Counter', counterSchema);
    await Promise.all([Booking.init(), Counter.init()]);
    const n = 5_000;
    const concurrency = 16;
    await measure('insert (Model.create, unique index)', n, concurrency, (i) =>
      Booking.create({ code: `B${i}`, hallId: `H${i % 30}`, start: new Date() }),
    );
    await measure('point find (findOne by unique key, lean)', n, concurrency, (i) =>
      Booking.findOne({ code: `B${(i * 7919) % n}` }).lean(),
    );
    await measure('$inc findOneAndUpdate (upsert, 30 keys)', n, concurrency, (i) =>
      Counter.findOneAndUpdate({ key: `hall-${i % 30}` }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean(),
    );
    const total = await Counter.aggregate<{ sum: number }>([{ $group: { _id: null, sum: { $sum: '$seq' } } }]);
    console.log(`check: counters sum to ${total[0]?.sum} (expected ${n})`);
  } finally {
    await connection.close();
    await server.stop();
  }
}
