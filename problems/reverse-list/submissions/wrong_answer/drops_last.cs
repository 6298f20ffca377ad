public class Solution {
    public ListNode ReverseList(ListNode head) {
        // Wrong: loses the last node.
        ListNode prev = null;
        while (head != null && head.next != null) {
            ListNode next = head.next;
            head.next = prev;
            prev = head;
            head = next;
        }
        return prev;
    }
}
